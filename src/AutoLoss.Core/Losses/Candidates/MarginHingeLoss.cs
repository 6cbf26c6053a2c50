using AutoLoss.Core.Losses;
using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>
/// Hinge loss on the margin between the labelled class's logit and the best other one (Crammer and Singer):
/// L = max(0, m - (z_y - max_{k != y} z_k)). For two classes this is the binary hinge max(0, m - s (z_1 - z_0)) with
/// s = +1 for a positive label and -1 for a negative one.
/// </summary>
public sealed class MarginHingeLoss : IPerExampleLoss
{
    /// <param name="margin">The margin m, in (0, 100]. Default 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">The margin is outside (0, 100].</exception>
    public MarginHingeLoss(double margin = 1)
    {
        if (!(margin > 0 && margin <= 100))
            throw new ArgumentOutOfRangeException(nameof(margin), margin, $"margin is {margin}; it must be in (0, 100] (1 is usual).");
        Margin = margin;
    }

    /// <summary>The margin m.</summary>
    public double Margin { get; }

    /// <inheritdoc />
    public string Name => $"hinge (margin {Margin})";

    /// <inheritdoc />
    public void Validate(TrainingTask task, string optionName) => ClassificationLossCheck.Require(task, Name, optionName);

    /// <inheritdoc />
    public Tensor Compute(Tensor outputs, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var index = labels.unsqueeze(1);
        var zy = outputs.gather(1, index).squeeze(1);
        // The labelled class is masked out of the max with -inf.
        var others = outputs.scatter(1, index, full_like(zy.unsqueeze(1), double.NegativeInfinity)).max(1).values;
        return zy.sub(others).neg().add(Margin).clamp_min(0).MoveToOuterDisposeScope();
    }
}
