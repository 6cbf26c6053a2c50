using AutoLoss.Core.Students;
using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>
/// A multi-layer perceptron student: Linear -> activation -> dropout for every hidden layer, then a
/// Linear output layer producing logits.
/// </summary>
public sealed class MlpSpec : StudentSpec, IFunctionalStudent
{
    internal const string Tag = "mlp";

    /// <summary>Widths of the hidden layers, input side first. Default <c>[500, 300]</c> (the
    /// 784-500-300-10 MLP of the L2T-DLF paper). Empty means a linear (softmax-regression) student.</summary>
    public int[] HiddenSizes { get; set; } = [500, 300];

    /// <summary>Activation after each hidden layer. Default <see cref="Activation.Relu"/>.</summary>
    public Activation Activation { get; set; } = Activation.Relu;

    /// <summary>Dropout probability after each hidden activation, in [0, 1). Default 0 (no dropout).</summary>
    public double Dropout { get; set; }

    /// <inheritdoc />
    public override nn.Module<Tensor, Tensor> Build(int inputSize, int outputSize)
    {
        Validate("Student");
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        int width = inputSize;
        for (int i = 0; i < HiddenSizes.Length; i++)
        {
            layers.Add(($"linear{i}", nn.Linear(width, HiddenSizes[i])));
            layers.Add(($"act{i}", Activation.CreateModule()));
            if (Dropout > 0)
                layers.Add(($"dropout{i}", nn.Dropout(Dropout)));
            width = HiddenSizes[i];
        }
        layers.Add(("output", nn.Linear(width, outputSize)));
        return nn.Sequential(layers);
    }

    /// <summary>Shapes of the parameters of <see cref="Build"/>'s network in the order of its
    /// <c>parameters()</c>: for every hidden layer and then the output layer, weight [out, in] and bias [out].</summary>
    public IReadOnlyList<long[]> ParameterShapes(int inputSize, int outputSize)
    {
        var shapes = new List<long[]>();
        int width = inputSize;
        foreach (int h in HiddenSizes)
        {
            shapes.Add([h, width]);
            shapes.Add([h]);
            width = h;
        }
        shapes.Add([outputSize, width]);
        shapes.Add([outputSize]);
        return shapes;
    }

    /// <summary>Functional forward pass f_w(x) with explicit weights w (e.g. the unrolled weights w_t of
    /// a teacher's inner optimisation, which carry a graph back to the teacher), equal to
    /// <see cref="Build"/>'s network holding the same weights. <paramref name="parameters"/> follow
    /// <see cref="ParameterShapes"/>; shapes are checked here before anything reaches libtorch.</summary>
    /// <param name="input">Features [B, in].</param>
    /// <param name="parameters">Weights and biases in <see cref="ParameterShapes"/> order.</param>
    /// <param name="training">Applies dropout when true (as the module does in training mode).</param>
    /// <returns>Logits [B, out].</returns>
    public Tensor Forward(Tensor input, IReadOnlyList<Tensor> parameters, bool training = false)
    {
        if (input.dim() != 2)
            throw new ArgumentException($"Input must be [B, F]; it has {input.dim()} dimensions.", nameof(input));
        int layers = HiddenSizes.Length + 1;
        if (parameters.Count != 2 * layers)
            throw new ArgumentException($"{this} has {2 * layers} parameter tensors; {parameters.Count} were given.", nameof(parameters));
        long width = input.shape[1];
        for (int i = 0; i < layers; i++)
        {
            var (w, b) = (parameters[2 * i], parameters[2 * i + 1]);
            long outWidth = i < HiddenSizes.Length ? HiddenSizes[i] : w.shape.Length == 2 ? w.shape[0] : -1;
            if (w.dim() != 2 || w.shape[1] != width || w.shape[0] != outWidth || b.dim() != 1 || b.shape[0] != outWidth)
                throw new ArgumentException(
                    $"Parameter pair {i} of {this} has shapes [{string.Join(",", w.shape)}] and [{string.Join(",", b.shape)}]; expected [{outWidth},{width}] and [{outWidth}].", nameof(parameters));
            if (w.dtype != input.dtype || b.dtype != input.dtype)
                throw new ArgumentException($"Parameter pair {i} has dtype {w.dtype}/{b.dtype} but the input is {input.dtype}.", nameof(parameters));
            width = outWidth;
        }

        var h = input.alias();
        for (int i = 0; i < layers; i++)
        {
            var next = nn.functional.linear(h, parameters[2 * i], parameters[2 * i + 1]);
            h.Dispose();
            h = next;
            if (i == HiddenSizes.Length) break;
            next = Activation.Apply(h);
            h.Dispose();
            h = next;
            if (training && Dropout > 0)
            {
                next = nn.functional.dropout(h, Dropout, training: true);
                h.Dispose();
                h = next;
            }
        }
        return h;
    }

    /// <inheritdoc />
    public long ActivationsPerRow(int inputSize, int outputSize) => HiddenSizes.Sum(h => (long)h) + outputSize;

    /// <inheritdoc />
    public override void Validate(string optionName)
    {
        if (HiddenSizes is null)
            throw new ArgumentException($"{optionName}.HiddenSizes must not be null; use an empty array for a linear student.", optionName);
        for (int i = 0; i < HiddenSizes.Length; i++)
            if (HiddenSizes[i] <= 0)
                throw new ArgumentOutOfRangeException(optionName, $"{optionName}.HiddenSizes[{i}] is {HiddenSizes[i]}; every hidden layer needs a positive width (e.g. 128).");
        if (!(Dropout >= 0 && Dropout < 1))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.Dropout is {Dropout}; it must be in [0, 1).");
        if (!Enum.IsDefined(Activation))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.Activation value {(int)Activation} is not a known activation.");
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"MLP({(HiddenSizes.Length == 0 ? "linear" : string.Join(",", HiddenSizes))}; {Activation}{(Dropout > 0 ? $"; dropout {Dropout}" : "")})";

    /// <inheritdoc />
    protected override string TypeTag => Tag;

    /// <inheritdoc />
    protected override void WriteSettings(BinaryWriter writer)
    {
        writer.Write(HiddenSizes.Length);
        foreach (int h in HiddenSizes) writer.Write(h);
        writer.Write((int)Activation);
        writer.Write(Dropout);
    }

    internal static MlpSpec ReadSettings(BinaryReader reader)
    {
        int n = reader.ReadInt32();
        if (n < 0 || n > 1024) throw new InvalidDataException($"Corrupt MLP description: {n} hidden layers.");
        var sizes = new int[n];
        for (int i = 0; i < n; i++) sizes[i] = reader.ReadInt32();
        var spec = new MlpSpec { HiddenSizes = sizes, Activation = (Activation)reader.ReadInt32(), Dropout = reader.ReadDouble() };
        try { spec.Validate("Student"); }
        catch (ArgumentException e) { throw new InvalidDataException("Corrupt MLP description in model file: " + e.Message, e); }
        return spec;
    }
}
