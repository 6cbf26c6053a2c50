using AutoLoss.Core.Losses;
using AutoLoss.Core.Losses.Robust;
using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>Cross-entropy against smoothed labels (Szegedy et al., 2016): the target puts 1 - epsilon on the label and
/// epsilon spread evenly over all C classes, L = (1 - epsilon)(-log p_y) + epsilon mean_k(-log p_k).</summary>
public sealed class LabelSmoothingLoss : IPerExampleLoss
{
    /// <param name="epsilon">The smoothing epsilon in [0, 1). Default 0.1.</param>
    /// <exception cref="ArgumentOutOfRangeException">epsilon is outside [0, 1).</exception>
    public LabelSmoothingLoss(double epsilon = 0.1)
    {
        Epsilon = TrueClassProbability.Require(epsilon, nameof(epsilon), 0, Math.BitDecrement(1.0), "0.1 is usual");
    }

    /// <summary>The smoothing epsilon.</summary>
    public double Epsilon { get; }

    /// <inheritdoc />
    public string Name => $"label smoothing (epsilon {Epsilon})";

    /// <inheritdoc />
    public void Validate(TrainingTask task, string optionName) => ClassificationLossCheck.Require(task, Name, optionName);

    /// <inheritdoc />
    public Tensor Compute(Tensor outputs, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var (logp, logpy) = TrueClassProbability.Of(outputs, labels);
        return logpy.neg().mul(1 - Epsilon).add(logp.mean([1L]).neg().mul(Epsilon)).MoveToOuterDisposeScope();
    }
}
