using static TorchSharp.torch;

namespace AutoLoss.ML.Export;

/// <summary>Writes one student architecture's inference forward pass into an ONNX graph.</summary>
internal interface IOnnxStudentWriter
{
    /// <summary>Adds the nodes and weights of <paramref name="student"/> (built from <paramref name="spec"/>, in evaluation
    /// mode) that map the value <paramref name="features"/> [N, <paramref name="featureCount"/>] to logits, and returns
    /// the logits' value name ([N, <paramref name="outputSize"/>]).</summary>
    string Write(OnnxGraphBuilder graph, StudentSpec spec, nn.Module<Tensor, Tensor> student, string features, int featureCount, int outputSize);
}
