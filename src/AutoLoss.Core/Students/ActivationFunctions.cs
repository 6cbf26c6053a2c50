using static TorchSharp.torch;

namespace AutoLoss.Core.Students;

/// <summary>The module and the functional form of each <see cref="Activation"/>, shared by every built-in student.</summary>
internal static class ActivationFunctions
{
    /// <summary>The activation as a module (for networks built as a sequence of layers).</summary>
    public static nn.Module<Tensor, Tensor> CreateModule(this Activation activation) => activation switch
    {
        Activation.Relu => nn.ReLU(),
        Activation.Tanh => nn.Tanh(),
        Activation.Gelu => nn.GELU(),
        Activation.Sigmoid => nn.Sigmoid(),
        Activation.LeakyRelu => nn.LeakyReLU(0.01),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), $"Activation value {(int)activation} is not a known activation."),
    };

    /// <summary>The activation applied to <paramref name="x"/> (a new tensor).</summary>
    public static Tensor Apply(this Activation activation, Tensor x) => activation switch
    {
        Activation.Relu => nn.functional.relu(x),
        Activation.Tanh => x.tanh(),
        Activation.Gelu => nn.functional.gelu(x),
        Activation.Sigmoid => x.sigmoid(),
        Activation.LeakyRelu => nn.functional.leaky_relu(x, 0.01),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), $"Activation value {(int)activation} is not a known activation."),
    };
}
