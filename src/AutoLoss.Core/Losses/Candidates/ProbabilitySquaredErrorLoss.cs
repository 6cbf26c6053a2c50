using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>
/// Squared error on the probabilities (the Brier score of one example): L = sum_k (p_k - y_k)^2 with y one-hot. Bounded
/// by 2, so a confidently wrong (or wrongly labelled) example pulls no harder than a moderately wrong one; for two classes
/// it is 2 (p_1 - y)^2, the squared error of the predicted click probability.
/// </summary>
public sealed class ProbabilitySquaredErrorLoss : ClassProbabilityLoss
{
    /// <summary>The shared instance (the loss holds no state).</summary>
    public static ProbabilitySquaredErrorLoss Instance { get; } = new();

    /// <inheritdoc />
    public override string Name => "squared error on the probabilities";

    /// <inheritdoc />
    protected override Tensor FromLogProbabilities(Tensor logp, Tensor logpy)
    {
        // sum_k p_k^2 - 2 p_y + 1 = sum_k (p_k - y_k)^2.
        var p = logp.exp();
        return p.square().sum(1).sub(logpy.exp().mul(2)).add(1);
    }
}
