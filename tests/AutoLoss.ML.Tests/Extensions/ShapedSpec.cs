using TorchSharp;
using static TorchSharp.torch;

namespace AutoLoss.ML.Tests.Extensions;

/// <summary>A spec that declares its input shape and is never registered: for the registry's and the shape check's
/// refusals.</summary>
internal sealed class ShapedSpec(int[] shape) : StudentSpec
{
    public override IReadOnlyList<int>? InputShape => shape;

    public override nn.Module<Tensor, Tensor> Build(int inputSize, int outputSize) => nn.Linear(inputSize, outputSize);

    public override void Validate(string optionName) { }

    public override string ToString() => $"Shaped({string.Join("x", shape)})";

    protected override string TypeTag => "test-never-registered";

    protected override void WriteSettings(BinaryWriter writer) { }
}
