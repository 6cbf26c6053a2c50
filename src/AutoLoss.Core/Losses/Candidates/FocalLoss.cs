using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>
/// Focal loss (Lin et al., ICCV 2017): L = -(1 - p_y)^gamma log p_y. It down-weights examples the student already
/// classifies well, so training concentrates on the hard ones; gamma = 0 is cross-entropy.
/// </summary>
public sealed class FocalLoss : ClassProbabilityLoss
{
    /// <param name="gamma">The focusing exponent, in [0, 10]. The paper's default is 2.</param>
    /// <exception cref="ArgumentOutOfRangeException">gamma is outside [0, 10].</exception>
    public FocalLoss(double gamma = 2)
    {
        if (!(gamma >= 0 && gamma <= 10))
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, $"gamma is {gamma}; it must be in [0, 10] (2 is the paper's choice; 0 is cross-entropy).");
        Gamma = gamma;
    }

    /// <summary>The focusing exponent gamma.</summary>
    public double Gamma { get; }

    /// <inheritdoc />
    public override string Name => $"focal (gamma {Gamma})";

    /// <inheritdoc />
    protected override Tensor FromLogProbabilities(Tensor logp, Tensor logpy) =>
        OneMinusPy(logpy).clamp_min(0).pow(Gamma).mul(logpy).neg();
}
