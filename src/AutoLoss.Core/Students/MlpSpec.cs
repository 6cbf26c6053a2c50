using TorchSharp;
using static TorchSharp.torch;

namespace AutoLoss.Core.Students;

/// <summary>
/// A multi-layer perceptron student: Linear -> activation -> dropout for every hidden layer, then a
/// Linear output layer producing logits.
/// </summary>
public sealed class MlpSpec : StudentSpec
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
            layers.Add(($"act{i}", CreateActivation(Activation)));
            if (Dropout > 0)
                layers.Add(($"dropout{i}", nn.Dropout(Dropout)));
            width = HiddenSizes[i];
        }
        layers.Add(("output", nn.Linear(width, outputSize)));
        return nn.Sequential(layers);
    }

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

    private static nn.Module<Tensor, Tensor> CreateActivation(Activation activation) => activation switch
    {
        Activation.Relu => nn.ReLU(),
        Activation.Tanh => nn.Tanh(),
        Activation.Gelu => nn.GELU(),
        Activation.Sigmoid => nn.Sigmoid(),
        Activation.LeakyRelu => nn.LeakyReLU(0.01),
        _ => throw new ArgumentOutOfRangeException(nameof(activation)),
    };
}
