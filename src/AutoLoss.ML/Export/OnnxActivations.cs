namespace AutoLoss.ML.Export;

/// <summary>Each <see cref="Activation"/> as ONNX nodes (opset 17, which has no Gelu operator: GELU is written with Erf,
/// x * 0.5 * (1 + erf(x / sqrt 2)), the exact form TorchSharp's gelu computes).</summary>
internal static class OnnxActivations
{
    public static string Apply(OnnxGraphBuilder g, Activation activation, string x) => activation switch
    {
        Activation.Relu => g.Node("Relu", [x], "relu"),
        Activation.Tanh => g.Node("Tanh", [x], "tanh"),
        Activation.Sigmoid => g.Node("Sigmoid", [x], "sigmoid"),
        Activation.LeakyRelu => g.Node("LeakyRelu", [x], "leaky_relu", OnnxGraphBuilder.Float("alpha", 0.01f)),
        Activation.Gelu => Gelu(g, x),
        _ => throw new NotSupportedException($"Activation {activation} has no ONNX form."),
    };

    private static string Gelu(OnnxGraphBuilder g, string x)
    {
        var scaled = g.Node("Div", [x, g.Floats("sqrt2", [MathF.Sqrt(2)])], "gelu_scaled");
        var erf = g.Node("Erf", [scaled], "gelu_erf");
        var onePlus = g.Node("Add", [erf, g.Floats("one", [1f])], "gelu_one_plus");
        var half = g.Node("Mul", [onePlus, g.Floats("half", [0.5f])], "gelu_half");
        return g.Node("Mul", [x, half], "gelu");
    }
}
