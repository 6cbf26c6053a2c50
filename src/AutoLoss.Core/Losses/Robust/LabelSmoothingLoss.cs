using AutoLoss.Core.Losses.Robust;
using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>Cross-entropy against smoothed labels (Szegedy et al., 2016): the target puts 1 - epsilon on the label and
/// epsilon spread evenly over all C classes, L = (1 - epsilon)(-log p_y) + epsilon mean_k(-log p_k).</summary>
public sealed class LabelSmoothingLoss : ClassProbabilityLoss
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
    public override string Name => $"label smoothing (epsilon {Epsilon})";

    /// <inheritdoc />
    protected override Tensor FromLogProbabilities(Tensor logp, Tensor logpy) =>
        logpy.neg().mul(1 - Epsilon).add(logp.mean([1L]).neg().mul(Epsilon));
}
