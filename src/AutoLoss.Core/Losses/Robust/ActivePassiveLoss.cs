using AutoLoss.Core.Losses;
using AutoLoss.Core.Losses.Robust;
using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>
/// The active-passive pair NCE + RCE (Ma et al., ICML 2020, "Normalized loss functions"): alpha NCE + beta RCE with the
/// normalized cross-entropy NCE = log p_y / sum_k log p_k (robust, but it underfits alone) and the reverse cross-entropy
/// RCE = 4 (1 - p_y) (see <see cref="SymmetricCrossEntropyLoss"/>).
/// </summary>
public sealed class ActivePassiveLoss : IPerExampleLoss
{
    /// <param name="alpha">Weight of NCE (the active term), >= 0. Default 1.</param>
    /// <param name="beta">Weight of RCE (the passive term), >= 0. Default 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A weight is negative or not finite, or both are 0.</exception>
    public ActivePassiveLoss(double alpha = 1, double beta = 1)
    {
        Alpha = TrueClassProbability.Require(alpha, nameof(alpha), 0, 1e6, "e.g. 1");
        Beta = TrueClassProbability.Require(beta, nameof(beta), 0, 1e6, "e.g. 1");
        if (Alpha == 0 && Beta == 0) throw new ArgumentOutOfRangeException(nameof(alpha), "alpha and beta are both 0; at least one term must count.");
    }

    /// <summary>Weight of the normalized cross-entropy.</summary>
    public double Alpha { get; }

    /// <summary>Weight of the reverse cross-entropy.</summary>
    public double Beta { get; }

    /// <inheritdoc />
    public string Name => $"NCE + RCE (alpha {Alpha}, beta {Beta})";

    /// <inheritdoc />
    public void Validate(TrainingTask task, string optionName) => ClassificationLossCheck.Require(task, Name, optionName);

    /// <inheritdoc />
    public Tensor Compute(Tensor outputs, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var (logp, logpy) = TrueClassProbability.Of(outputs, labels);
        var normalized = logpy.div(logp.sum(1));   // both negative: NCE in [0, 1]
        var reverse = logpy.exp().neg().add(1).mul(SymmetricCrossEntropyLoss.ReverseLogZero);
        return normalized.mul(Alpha).add(reverse.mul(Beta)).MoveToOuterDisposeScope();
    }
}
