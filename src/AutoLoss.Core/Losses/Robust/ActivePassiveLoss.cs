using AutoLoss.Core.Losses.Robust;
using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>
/// The active-passive pair NCE + RCE (Ma et al., ICML 2020, "Normalized loss functions"): alpha NCE + beta RCE with the
/// normalized cross-entropy NCE = log p_y / sum_k log p_k (robust, but it underfits alone) and the reverse cross-entropy
/// RCE = 4 (1 - p_y) (see <see cref="SymmetricCrossEntropyLoss"/>).
/// </summary>
public sealed class ActivePassiveLoss : ClassProbabilityLoss
{
    /// <param name="alpha">Weight of NCE (the active term), >= 0. Default 1.</param>
    /// <param name="beta">Weight of RCE (the passive term), >= 0. Default 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A weight is negative or not finite, or both are 0.</exception>
    public ActivePassiveLoss(double alpha = 1, double beta = 1)
    {
        (Alpha, Beta) = TrueClassProbability.RequireWeights(alpha, beta);
    }

    /// <summary>Weight of the normalized cross-entropy.</summary>
    public double Alpha { get; }

    /// <summary>Weight of the reverse cross-entropy.</summary>
    public double Beta { get; }

    /// <inheritdoc />
    public override string Name => $"NCE + RCE (alpha {Alpha}, beta {Beta})";

    /// <inheritdoc />
    protected override Tensor FromLogProbabilities(Tensor logp, Tensor logpy) =>
        // NCE = log p_y / sum_k log p_k: both negative, so NCE is in [0, 1].
        logpy.div(logp.sum(1)).mul(Alpha).add(OneMinusPy(logpy).mul(SymmetricCrossEntropyLoss.ReverseLogZero * Beta));
}
