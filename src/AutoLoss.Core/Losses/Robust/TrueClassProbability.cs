using static TorchSharp.torch;

namespace AutoLoss.Core.Losses.Robust;

/// <summary>The pieces the robust losses share: log p = log_softmax(logits) [B, C] and log p_y [B] for the labels.</summary>
internal static class TrueClassProbability
{
    /// <summary>log p [B, C] and log p_y [B] for logits [B, C] and int64 class indices [B].</summary>
    public static (Tensor LogP, Tensor LogPy) Of(Tensor outputs, Tensor labels)
    {
        var logp = nn.functional.log_softmax(outputs, 1);
        return (logp, logp.gather(1, labels.unsqueeze(1)).squeeze(1));
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming <paramref name="name"/> unless the value is finite
    /// and within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static double Require(double value, string name, double min, double max, string hint)
    {
        if (!(value >= min && value <= max))
            throw new ArgumentOutOfRangeException(name, value, $"{name} is {value}; it must be in [{min}, {max}] ({hint}).");
        return value;
    }

    /// <summary>Checks a pair of term weights (each finite and >= 0, not both 0) and returns them.</summary>
    public static (double Alpha, double Beta) RequireWeights(double alpha, double beta)
    {
        Require(alpha, nameof(alpha), 0, 1e6, "a weight, e.g. 1");
        Require(beta, nameof(beta), 0, 1e6, "a weight, e.g. 1");
        if (alpha == 0 && beta == 0) throw new ArgumentOutOfRangeException(nameof(alpha), "alpha and beta are both 0; at least one term must count.");
        return (alpha, beta);
    }
}
