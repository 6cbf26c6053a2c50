using AutoLoss.Core.Losses;
using AutoLoss.Core.Losses.Robust;
using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>Poly-1 (Leng et al., ICLR 2022): L = -log p_y + epsilon (1 - p_y), cross-entropy with its first polynomial
/// coefficient moved by epsilon.</summary>
public sealed class Poly1Loss : IPerExampleLoss
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
    public string Name => $"Poly-1 (epsilon {Epsilon})";

    /// <inheritdoc />
    public void Validate(TrainingTask task, string optionName) => ClassificationLossCheck.Require(task, Name, optionName);

    /// <inheritdoc />
    public Tensor Compute(Tensor outputs, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var (_, logpy) = TrueClassProbability.Of(outputs, labels);
        return logpy.neg().add(logpy.exp().neg().add(1).mul(Epsilon)).MoveToOuterDisposeScope();
    }
}
