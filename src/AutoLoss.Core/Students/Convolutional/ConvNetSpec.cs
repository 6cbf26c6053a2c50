using AutoLoss.Core.Students.Convolutional;
using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>
/// A convolutional student for images given as flat feature vectors in CHW order (what ML.NET's
/// <c>ExtractPixels</c> produces): a sequence of <see cref="ConvBlock"/>s, then a dense head with a linear output layer.
/// The defaults are LeNet-5 for 28x28 grey images: conv 6@5x5 (same padding) -> max-pool 2 -> conv 16@5x5 -> max-pool 2
/// -> dense 120 -> dense 84 -> output. <see cref="ResNet8"/> gives a small residual network for 32x32 colour images.
/// Implements <see cref="IFunctionalStudent"/>, so hypergradient teachers (L2T-DLF) unroll it like an MLP.
/// </summary>
public sealed class ConvNetSpec : StudentSpec, IFunctionalStudent
{
    internal const string Tag = "convnet";

    /// <summary>Colour planes per image (1 for grey, 3 for RGB). Default 1.</summary>
    public int Channels { get; set; } = 1;

    /// <summary>Image height in pixels. Default 28.</summary>
    public int Height { get; set; } = 28;

    /// <summary>Image width in pixels. Default 28.</summary>
    public int Width { get; set; } = 28;

    /// <summary>The convolutional blocks, input side first. Default LeNet-5's two blocks.</summary>
    public ConvBlock[] Blocks { get; set; } =
    [
        new() { Channels = 6, KernelSize = 5, Pooling = Pooling.Max },
        new() { Channels = 16, KernelSize = 5, Padding = 0, Pooling = Pooling.Max },
    ];

    /// <summary>Average each channel over the whole map after the last block (as ResNets do) instead of flattening the
    /// maps into the head. Default false.</summary>
    public bool GlobalAveragePooling { get; set; }

    /// <summary>Widths of the dense hidden layers between the blocks and the output layer. Default <c>[120, 84]</c>;
    /// empty means the output layer reads the blocks' features directly.</summary>
    public int[] HeadSizes { get; set; } = [120, 84];

    /// <summary>Dropout probability after each dense hidden layer (training only), in [0, 1). Default 0.</summary>
    public double HeadDropout { get; set; }

    /// <summary>Activation after every convolution block and dense hidden layer. Default <see cref="Activation.Relu"/>.</summary>
    public Activation Activation { get; set; } = Activation.Relu;

    /// <summary>LeNet-5 (the defaults) for images of the given shape.</summary>
    public static ConvNetSpec LeNet5(int channels = 1, int height = 28, int width = 28) =>
        new() { Channels = channels, Height = height, Width = width };

    /// <summary>A ResNet-8: a 16-channel 3x3 stem with batch norm, three residual blocks of 16, 32 (stride 2) and 64
    /// (stride 2) channels, global average pooling and a linear output (7 convolutions + 1 dense layer).</summary>
    public static ConvNetSpec ResNet8(int channels = 3, int height = 32, int width = 32) => new()
    {
        Channels = channels,
        Height = height,
        Width = width,
        Blocks =
        [
            new() { Channels = 16, BatchNorm = true },
            new() { Channels = 16, BatchNorm = true, Residual = true },
            new() { Channels = 32, Stride = 2, BatchNorm = true, Residual = true },
            new() { Channels = 64, Stride = 2, BatchNorm = true, Residual = true },
        ],
        GlobalAveragePooling = true,
        HeadSizes = [],
    };

    /// <inheritdoc />
    public override IReadOnlyList<int>? InputShape => [Channels, Height, Width];

    /// <inheritdoc />
    public override nn.Module<Tensor, Tensor> Build(int inputSize, int outputSize)
    {
        ValidateInput(inputSize, "Student");
        return new ConvNetModule(Layout(outputSize, "Student"));
    }

    /// <inheritdoc />
    public IReadOnlyList<long[]> ParameterShapes(int inputSize, int outputSize) =>
        Layout(outputSize, "Student").Parameters.Select(p => p.Shape).ToList();

    /// <summary>Functional forward pass f(x; w) with explicit weights (e.g. a teacher's unrolled w_t), equal to the built
    /// network in training mode holding the same weights. Batch norm uses the batch's own statistics (the functional
    /// form keeps no running ones).</summary>
    /// <param name="input">Features [B, Channels x Height x Width].</param>
    /// <param name="parameters">Weights in <see cref="ParameterShapes"/> order.</param>
    /// <param name="training">Applies dropout when true.</param>
    public Tensor Forward(Tensor input, IReadOnlyList<Tensor> parameters, bool training)
    {
        if (parameters.Count == 0 || parameters[^1].dim() != 1)
            throw new ArgumentException($"{this} expects its weights, the output bias last.", nameof(parameters));
        AutoLoss.Core.Training.OneDnnIsaCap.Apply();
        return ConvNetForward.Run(Layout((int)parameters[^1].shape[0], "Student"), input, parameters, statistics: null, training);
    }

    /// <inheritdoc />
    public long ActivationsPerRow(int inputSize, int outputSize) => Layout(outputSize, "Student").ActivationsPerRow;

    /// <inheritdoc />
    public override void Validate(string optionName)
    {
        if (Channels <= 0 || Height <= 0 || Width <= 0)
            throw new ArgumentOutOfRangeException(optionName, $"{optionName} has input shape {Channels}x{Height}x{Width}; channels, height and width must be positive.");
        if (Blocks is null)
            throw new ArgumentException($"{optionName}.Blocks must not be null; use an empty array for a dense-only network.", optionName);
        for (int i = 0; i < Blocks.Length; i++)
        {
            if (Blocks[i] is null) throw new ArgumentException($"{optionName}.Blocks[{i}] is null.", optionName);
            Blocks[i].Validate($"{optionName}.Blocks[{i}]");
        }
        if (HeadSizes is null)
            throw new ArgumentException($"{optionName}.HeadSizes must not be null; use an empty array for a linear output layer.", optionName);
        for (int i = 0; i < HeadSizes.Length; i++)
            if (HeadSizes[i] <= 0)
                throw new ArgumentOutOfRangeException(optionName, $"{optionName}.HeadSizes[{i}] is {HeadSizes[i]}; every dense layer needs a positive width (e.g. 128).");
        if (!(HeadDropout >= 0 && HeadDropout < 1))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.HeadDropout is {HeadDropout}; it must be in [0, 1).");
        if (!Enum.IsDefined(Activation))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.Activation value {(int)Activation} is not a known activation.");
        _ = new ConvNetLayout(this, 1, optionName);   // the maps must not shrink to nothing
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"ConvNet({Channels}x{Height}x{Width}; {string.Join(" | ", Blocks.Select(b => b.ToString()))}" +
        $"{(GlobalAveragePooling ? " | gap" : "")}; head {(HeadSizes.Length == 0 ? "linear" : string.Join(",", HeadSizes))}; {Activation}" +
        $"{(HeadDropout > 0 ? $"; dropout {HeadDropout}" : "")})";

    /// <inheritdoc />
    protected override string TypeTag => Tag;

    private const int FormatVersion = 1;

    /// <inheritdoc />
    protected override void WriteSettings(BinaryWriter writer)
    {
        writer.Write(FormatVersion);
        writer.Write(Channels);
        writer.Write(Height);
        writer.Write(Width);
        writer.Write(Blocks.Length);
        foreach (var b in Blocks)
        {
            writer.Write(b.Channels);
            writer.Write(b.KernelSize);
            writer.Write(b.Stride);
            writer.Write(b.Padding ?? -1);
            writer.Write(b.BatchNorm);
            writer.Write(b.Residual);
            writer.Write((int)b.Pooling);
            writer.Write(b.PoolSize);
            writer.Write(b.Dropout);
        }
        writer.Write(GlobalAveragePooling);
        writer.Write(HeadSizes.Length);
        foreach (int h in HeadSizes) writer.Write(h);
        writer.Write(HeadDropout);
        writer.Write((int)Activation);
    }

    internal static ConvNetSpec ReadSettings(BinaryReader reader)
    {
        int version = reader.ReadInt32();
        if (version != FormatVersion)
            throw new InvalidDataException($"The model file's ConvNet description has format {version}; this AutoLoss.ML version reads format {FormatVersion}.");
        var spec = new ConvNetSpec { Channels = reader.ReadInt32(), Height = reader.ReadInt32(), Width = reader.ReadInt32() };
        spec.Blocks = new ConvBlock[Count(reader.ReadInt32(), "blocks")];
        for (int i = 0; i < spec.Blocks.Length; i++)
        {
            spec.Blocks[i] = new ConvBlock { Channels = reader.ReadInt32(), KernelSize = reader.ReadInt32(), Stride = reader.ReadInt32() };
            int padding = reader.ReadInt32();
            spec.Blocks[i].Padding = padding < 0 ? null : padding;
            spec.Blocks[i].BatchNorm = reader.ReadBoolean();
            spec.Blocks[i].Residual = reader.ReadBoolean();
            spec.Blocks[i].Pooling = (Pooling)reader.ReadInt32();
            spec.Blocks[i].PoolSize = reader.ReadInt32();
            spec.Blocks[i].Dropout = reader.ReadDouble();
        }
        spec.GlobalAveragePooling = reader.ReadBoolean();
        spec.HeadSizes = new int[Count(reader.ReadInt32(), "dense layers")];
        for (int i = 0; i < spec.HeadSizes.Length; i++) spec.HeadSizes[i] = reader.ReadInt32();
        spec.HeadDropout = reader.ReadDouble();
        spec.Activation = (Activation)reader.ReadInt32();
        try { spec.Validate("Student"); }
        catch (ArgumentException e) { throw new InvalidDataException("Corrupt ConvNet description in model file: " + e.Message, e); }
        return spec;
    }

    private static int Count(int n, string what) =>
        n is >= 0 and <= 1024 ? n : throw new InvalidDataException($"Corrupt ConvNet description: {n} {what}.");

    /// <summary>The network for <paramref name="outputSize"/> outputs, from a snapshot of the current settings.</summary>
    private ConvNetLayout Layout(int outputSize, string optionName)
    {
        Validate(optionName);
        var snapshot = (ConvNetSpec)MemberwiseClone();
        snapshot.Blocks = Blocks.Select(b => b.Clone()).ToArray();
        snapshot.HeadSizes = (int[])HeadSizes.Clone();
        return new ConvNetLayout(snapshot, outputSize, optionName);
    }
}
