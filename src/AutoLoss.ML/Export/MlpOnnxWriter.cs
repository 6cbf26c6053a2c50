using static TorchSharp.torch;

namespace AutoLoss.ML.Export;

/// <summary><see cref="MlpSpec"/>: Gemm (x W^T + b) -> activation for every hidden layer, then the output Gemm. Dropout
/// is the identity at inference.</summary>
internal sealed class MlpOnnxWriter : IOnnxStudentWriter
{
    public string Write(OnnxGraphBuilder graph, StudentSpec spec, nn.Module<Tensor, Tensor> student, string features, int featureCount, int outputSize)
    {
        var mlp = (MlpSpec)spec;
        var weights = student.parameters().ToList();   // weight, bias per layer, input side first
        if (weights.Count != 2 * (mlp.HiddenSizes.Length + 1))
            throw new InvalidOperationException($"{spec} should have {2 * (mlp.HiddenSizes.Length + 1)} weight tensors; the network has {weights.Count}.");
        string h = features;
        for (int layer = 0; layer <= mlp.HiddenSizes.Length; layer++)
        {
            string name = layer < mlp.HiddenSizes.Length ? $"linear{layer}" : "output";
            h = graph.Node("Gemm", [h, graph.Weight(name + "_weight", weights[2 * layer]), graph.Weight(name + "_bias", weights[2 * layer + 1])],
                name, OnnxGraphBuilder.Int("transB", 1));
            if (layer < mlp.HiddenSizes.Length) h = OnnxActivations.Apply(graph, mlp.Activation, h);
        }
        return h;
    }
}
