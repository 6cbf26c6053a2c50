using AutoLoss.Core.Losses.Robust;
using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>
/// Symmetric cross-entropy (Wang et al., ICCV 2019): L = alpha CE + beta RCE. The reverse cross-entropy
/// RCE = -sum_k p_k log y_k, with log 0 clipped to A = -4, is -A (1 - p_y) = 4 (1 - p_y) for a one-hot label y.
/// </summary>
public sealed class SymmetricCrossEntropyLoss : ClassProbabilityLoss
{
    /// <summary>-A, the clipped -log 0 of the reverse term (the paper's A = -4).</summary>
    public const double ReverseLogZero = 4;

    /// <param name="alpha">Weight of cross-entropy, >= 0. Default 0.1 (the paper's CIFAR-10 setting).</param>
    /// <param name="beta">Weight of reverse cross-entropy, >= 0. Default 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A weight is negative or not finite, or both are 0.</exception>
    public SymmetricCrossEntropyLoss(double alpha = 0.1, double beta = 1)
    {
        (Alpha, Beta) = TrueClassProbability.RequireWeights(alpha, beta);
    }

    /// <summary>Weight of cross-entropy.</summary>
    public double Alpha { get; }

    /// <summary>Weight of reverse cross-entropy.</summary>
    public double Beta { get; }

    /// <inheritdoc />
    public override string Name => $"symmetric cross-entropy (alpha {Alpha}, beta {Beta})";

    /// <inheritdoc />
    protected override Tensor FromLogProbabilities(Tensor logp, Tensor logpy) =>
        logpy.neg().mul(Alpha).add(OneMinusPy(logpy).mul(ReverseLogZero * Beta));
}
