using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>
/// AutoLoss-Zero's loss-rejection protocol: before a candidate loss costs a training run, it optimises a sample of
/// predictions directly (free logits for random labels, Adam) for a few steps under the loss, and rejects the loss when
/// the predictions' accuracy does not reach <see cref="MinimumAccuracy"/>. Losses that cannot even fit free logits
/// cannot teach a student, and most random expressions are such losses.
/// </summary>
public sealed class LossRejectionProtocol
{
    /// <summary>Predictions optimised (rows of free logits). Default 100.</summary>
    public int Samples { get; init; } = 100;

    /// <summary>Adam steps on the free logits. Default 200.</summary>
    public int Steps { get; init; } = 200;

    /// <summary>Adam's learning rate. Default 0.1.</summary>
    public double LearningRate { get; init; } = 0.1;

    /// <summary>The accuracy the optimised predictions must reach for the loss to be kept. Default 0.9 (chance is 1/C).</summary>
    public double MinimumAccuracy { get; init; } = 0.9;

    /// <summary>Seed of the random logits and labels (the same probe for every candidate). Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the setting that is out of range.</summary>
    public void Validate()
    {
        if (Samples < 2) throw new ArgumentOutOfRangeException(nameof(Samples), Samples, "Samples must be at least 2 (default 100).");
        if (Steps < 1) throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "Steps must be at least 1 (default 200).");
        if (!(LearningRate > 0 && double.IsFinite(LearningRate))) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "LearningRate must be positive (default 0.1).");
        if (!(MinimumAccuracy >= 0 && MinimumAccuracy <= 1)) throw new ArgumentOutOfRangeException(nameof(MinimumAccuracy), MinimumAccuracy, "MinimumAccuracy must be in [0, 1] (default 0.9).");
    }

    /// <summary>The accuracy free logits reach for <paramref name="classes"/> classes when optimised under
    /// <paramref name="loss"/>; 0 when the optimisation produces non-finite values.</summary>
    public double OptimisedAccuracy(IPerExampleLoss loss, int classes)
    {
        ArgumentNullException.ThrowIfNull(loss);
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)Seed);
        var logits = new TorchSharp.Modules.Parameter(randn([Samples, classes], generator: generator));
        var labels = randint(0, classes, [Samples], generator: generator);
        using var adam = optim.Adam([logits], LearningRate);
        for (int step = 0; step < Steps; step++)
        {
            using var stepScope = NewDisposeScope();
            adam.zero_grad();
            var value = loss.Compute(logits, labels).mean();
            if (!value.isfinite().item<bool>()) return 0;
            value.backward();
            adam.step();
        }
        using (no_grad())
        {
            if (!logits.isfinite().all().item<bool>()) return 0;
            return logits.argmax(1).eq(labels).to_type(ScalarType.Float64).mean().item<double>();
        }
    }

    /// <summary>True when <paramref name="loss"/> passes: <see cref="OptimisedAccuracy"/> reaches <see cref="MinimumAccuracy"/>.</summary>
    public bool Accepts(IPerExampleLoss loss, int classes) => OptimisedAccuracy(loss, classes) >= MinimumAccuracy;
}
