using AutoLoss.Core.Losses.Robust;
using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>
/// Generalized cross-entropy (Zhang and Sabuncu, NeurIPS 2018): L = (1 - p_y^q) / q. It tends to cross-entropy as q -> 0
/// and is the mean absolute error of the probabilities at q = 1; in between it bounds the loss of a confidently wrong
/// label, which is what makes it robust to label noise.
/// </summary>
public sealed class GeneralizedCrossEntropyLoss : ClassProbabilityLoss
{
    /// <param name="q">The exponent q in (0, 1]. The paper's default is 0.7.</param>
    /// <exception cref="ArgumentOutOfRangeException">q is outside (0, 1].</exception>
    public GeneralizedCrossEntropyLoss(double q = 0.7)
    {
        Q = TrueClassProbability.Require(q, nameof(q), double.Epsilon, 1, "0.7 is the paper's choice; smaller is closer to cross-entropy");
    }

    /// <summary>The exponent q.</summary>
    public double Q { get; }

    /// <inheritdoc />
    public override string Name => $"generalized cross-entropy (q {Q})";

    /// <inheritdoc />
    protected override Tensor FromLogProbabilities(Tensor logp, Tensor logpy) =>
        // 1 - p_y^q = -expm1(q log p_y): no power of a probability that underflows, and no cancellation for small q.
        logpy.mul(Q).expm1().neg().div(Q);
}
