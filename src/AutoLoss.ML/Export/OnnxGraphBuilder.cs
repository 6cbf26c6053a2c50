using Google.Protobuf;
using Onnx;
using static TorchSharp.torch;

namespace AutoLoss.ML.Export;

/// <summary>
/// Builds an ONNX graph (OnnxSharp's protobuf types): weights as initializers, operator nodes with fresh value names,
/// and the model's named inputs and outputs. Every name it hands out is unique within the graph.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    /// <summary>The ONNX operator set the export targets (opset 17, ONNX 1.12; ONNX Runtime 1.12 and later).</summary>
    public const int Opset = 17;

    private readonly GraphProto _graph = new() { Name = "autoloss" };
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>A float32 initializer holding a copy of <paramref name="values"/> (any device, any contiguity).</summary>
    public string Weight(string name, Tensor values)
    {
        using var cpu = values.detach().to(CPU).to_type(ScalarType.Float32).contiguous();
        var proto = new TensorProto { Name = Unique(name), DataType = (int)TensorProto.Types.DataType.Float };
        proto.Dims.AddRange(cpu.shape);
        proto.RawData = ByteString.CopyFrom(cpu.bytes.ToArray());
        _graph.Initializer.Add(proto);
        return proto.Name;
    }

    /// <summary>A float32 initializer of the given shape.</summary>
    public string Floats(string name, float[] values, params long[] dims)
    {
        var proto = new TensorProto { Name = Unique(name), DataType = (int)TensorProto.Types.DataType.Float };
        proto.Dims.AddRange(dims);
        proto.FloatData.AddRange(values);
        _graph.Initializer.Add(proto);
        return proto.Name;
    }

    /// <summary>An int64 initializer (shapes, axes, indices).</summary>
    public string Int64s(string name, params long[] values)
    {
        var proto = new TensorProto { Name = Unique(name), DataType = (int)TensorProto.Types.DataType.Int64 };
        proto.Dims.Add(values.Length);
        proto.Int64Data.AddRange(values);
        _graph.Initializer.Add(proto);
        return proto.Name;
    }

    /// <summary>A string initializer (e.g. a label's key values).</summary>
    public string Strings(string name, IReadOnlyList<string> values)
    {
        var proto = new TensorProto { Name = Unique(name), DataType = (int)TensorProto.Types.DataType.String };
        proto.Dims.Add(values.Count);
        proto.StringData.AddRange(values.Select(ByteString.CopyFromUtf8));
        _graph.Initializer.Add(proto);
        return proto.Name;
    }

    /// <summary>Adds a node of operator <paramref name="op"/> and returns its (single) output's name.</summary>
    public string Node(string op, string[] inputs, string output, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = Unique(output + "_" + op) };
        node.Input.AddRange(inputs);
        string name = Unique(output);
        node.Output.Add(name);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return name;
    }

    /// <summary>Renames value <paramref name="value"/> to the graph output <paramref name="name"/> (an Identity node).</summary>
    public void Output(string value, string name, TensorProto.Types.DataType type, params string[] dims)
    {
        var node = new NodeProto { OpType = "Identity", Name = Unique(name + "_Identity") };
        node.Input.Add(value);
        node.Output.Add(name);
        _graph.Node.Add(node);
        _graph.Output.Add(ValueInfo(name, type, dims));
    }

    /// <summary>Declares a graph input.</summary>
    public string Input(string name, TensorProto.Types.DataType type, params string[] dims)
    {
        _names.Add(name);
        _graph.Input.Add(ValueInfo(name, type, dims));
        return name;
    }

    /// <summary>The finished model.</summary>
    public ModelProto Model(string docString)
    {
        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "AutoLoss.ML",
            ProducerVersion = typeof(OnnxGraphBuilder).Assembly.GetName().Version?.ToString() ?? "",
            DocString = docString,
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model;
    }

    public static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, string[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (string d in dims)
            shape.Dim.Add(long.TryParse(d, out long n) ? new TensorShapeProto.Types.Dimension { DimValue = n } : new TensorShapeProto.Types.Dimension { DimParam = d });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    private string Unique(string name)
    {
        string candidate = name;
        for (int i = 1; !_names.Add(candidate); i++) candidate = $"{name}_{i}";
        return candidate;
    }
}
