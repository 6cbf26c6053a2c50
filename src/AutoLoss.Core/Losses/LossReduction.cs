using static TorchSharp.torch;

namespace AutoLoss.Core.Losses;

/// <summary>Turns per-example losses into the scalar a step minimises.</summary>
public static class LossReduction
{
    /// <summary>Mean of <paramref name="perExample"/>, or the weighted mean sum(w_i l_i) / sum(w_i) when
    /// example weights are given (ML.NET's example-weight column).</summary>
    public static Tensor Mean(Tensor perExample, Tensor? weights)
    {
        if (weights is null) return perExample.mean();
        using var weighted = perExample.mul(weights);
        using var total = weighted.sum();
        using var weightSum = weights.sum().clamp_min(1e-12);
        return total.div(weightSum);
    }
}
