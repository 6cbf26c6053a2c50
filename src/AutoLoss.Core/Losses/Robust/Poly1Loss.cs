using AutoLoss.Core.Losses.Robust;
using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>Poly-1 (Leng et al., ICLR 2022): L = -log p_y + epsilon (1 - p_y), cross-entropy with its first polynomial
/// coefficient moved by epsilon.</summary>
public sealed class Poly1Loss : ClassProbabilityLoss
{
    /// <param name="epsilon">The coefficient epsilon, >= -1 (at -1 the first polynomial term vanishes). Default 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">epsilon is below -1 or not finite.</exception>
    public Poly1Loss(double epsilon = 1)
    {
        Epsilon = TrueClassProbability.Require(epsilon, nameof(epsilon), -1, 1e6, "1 is the paper's default");
    }

    /// <summary>The coefficient epsilon.</summary>
    public double Epsilon { get; }

    /// <inheritdoc />
    public override string Name => $"Poly-1 (epsilon {Epsilon})";

    /// <inheritdoc />
    protected override Tensor FromLogProbabilities(Tensor logp, Tensor logpy) => logpy.neg().add(OneMinusPy(logpy).mul(Epsilon));
}
