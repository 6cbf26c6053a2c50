using AutoLoss.Core.Students.Convolutional;
using static TorchSharp.torch;

namespace AutoLoss.ML.Export;

/// <summary><see cref="ConvNetSpec"/>, from its layout (the same one the training forward pass walks): Reshape to NCHW,
/// then per block Conv [-> BatchNormalization] -> activation (residual blocks: a second Conv, the shortcut, Add, then the
/// activation), pooling, and the dense head as Gemm nodes. Batch norm uses the running statistics, as in evaluation.</summary>
internal sealed class ConvNetOnnxWriter : IOnnxStudentWriter
{
    private const float NormEpsilon = 1e-5f;

    public string Write(OnnxGraphBuilder graph, StudentSpec spec, nn.Module<Tensor, Tensor> student, string features, int featureCount, int outputSize)
    {
        var conv = (ConvNetSpec)spec;
        var layout = new ConvNetLayout(conv, outputSize, "Student");
        var p = student.parameters().ToList();
        var statistics = student.buffers().ToList();
        if (p.Count != layout.Parameters.Count || statistics.Count != 2 * layout.NormStatistics.Count)
            throw new InvalidOperationException($"{spec}'s network does not match its layout ({p.Count} weights, {statistics.Count} statistics).");

        string x = graph.Node("Reshape", [features, graph.Int64s("image_shape", -1, conv.Channels, conv.Height, conv.Width)], "image");
        foreach (var units in layout.Blocks)
        {
            var block = units.Block;
            string h = OnnxActivations.Apply(graph, conv.Activation, Unit(graph, layout, x, units.First, block.KernelSize, p, statistics));
            if (units.Second is { } second)
            {
                string shortcut = units.Shortcut is { } projection ? Unit(graph, layout, x, projection, 1, p, statistics) : x;
                string sum = graph.Node("Add", [Unit(graph, layout, h, second, block.KernelSize, p, statistics), shortcut], "residual");
                h = OnnxActivations.Apply(graph, conv.Activation, sum);
            }
            if (block.Pooling != Pooling.None)
                h = graph.Node(block.Pooling == Pooling.Max ? "MaxPool" : "AveragePool", [h], "pool",
                    OnnxGraphBuilder.Ints("kernel_shape", block.PoolSize, block.PoolSize), OnnxGraphBuilder.Ints("strides", block.PoolSize, block.PoolSize));
            x = h;
        }
        if (conv.GlobalAveragePooling) x = graph.Node("GlobalAveragePool", [x], "global_pool");
        x = graph.Node("Flatten", [x], "flat", OnnxGraphBuilder.Int("axis", 1));
        for (int i = 0; i < layout.Dense.Count; i++)
        {
            var (weight, bias) = layout.Dense[i];
            x = graph.Node("Gemm", [x, graph.Weight(layout.Parameters[weight].Name, p[weight]), graph.Weight(layout.Parameters[bias].Name, p[bias])],
                i == layout.Dense.Count - 1 ? "output" : $"dense{i}", OnnxGraphBuilder.Int("transB", 1));
            if (i < layout.Dense.Count - 1) x = OnnxActivations.Apply(graph, conv.Activation, x);
        }
        return x;
    }

    private static string Unit(OnnxGraphBuilder g, ConvNetLayout layout, string x, ConvUnit unit, int kernel, IReadOnlyList<Tensor> p, IReadOnlyList<Tensor> statistics)
    {
        var inputs = new List<string> { x, g.Weight(layout.Parameters[unit.Weight].Name, p[unit.Weight]) };
        if (unit.Bias is { } b) inputs.Add(g.Weight(layout.Parameters[b].Name, p[b]));
        string y = g.Node("Conv", [.. inputs], "conv",
            OnnxGraphBuilder.Ints("kernel_shape", kernel, kernel),
            OnnxGraphBuilder.Ints("strides", unit.Stride, unit.Stride),
            OnnxGraphBuilder.Ints("pads", unit.Padding, unit.Padding, unit.Padding, unit.Padding));
        if (unit.NormScale is not { } scale) return y;
        int k = unit.NormStatistics!.Value;
        string name = layout.Parameters[scale].Name;
        return g.Node("BatchNormalization",
            [y, g.Weight(name, p[scale]), g.Weight(layout.Parameters[scale + 1].Name, p[scale + 1]), g.Weight(name + "_mean", statistics[2 * k]), g.Weight(name + "_var", statistics[2 * k + 1])],
            "norm", OnnxGraphBuilder.Float("epsilon", NormEpsilon));
    }
}
