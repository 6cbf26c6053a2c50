using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>
/// The functional form of a student architecture: its forward pass with the weights passed in, f(x; w), equal to the
/// network <see cref="StudentSpec.Build"/> makes when it holds the same weights. Weights that carry a graph (the
/// unrolled w_t of a hypergradient method) keep it through the outputs, so
/// <see cref="AutoLoss.Core.Optimization.DifferentiableUnroll"/> can differentiate through training steps of any student that
/// implements this, the way higher's monkey-patching does for any PyTorch module.
/// </summary>
public interface IFunctionalStudent
{
    /// <summary>Shapes of the weights, in the order of the built network's <c>parameters()</c>.</summary>
    IReadOnlyList<long[]> ParameterShapes(int inputSize, int outputSize);

    /// <summary>f(x; w) for features [B, inputSize] and <paramref name="parameters"/> in <see cref="ParameterShapes"/>
    /// order; returns [B, outputSize]. Shapes are checked before anything reaches libtorch.</summary>
    /// <param name="input">Features [B, inputSize].</param>
    /// <param name="parameters">The weights.</param>
    /// <param name="training">Training-mode behaviour (dropout) when true, as the module's <c>train()</c>.</param>
    Tensor Forward(Tensor input, IReadOnlyList<Tensor> parameters, bool training);

    /// <summary>Activation values one row keeps alive in a forward pass (for memory estimates of an unroll).</summary>
    long ActivationsPerRow(int inputSize, int outputSize);
}
