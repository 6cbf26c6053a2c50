using AutoLoss.Core.Data;
using AutoLoss.Core.Students.Sparse;
using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>
/// A student for high-dimensional sparse features (ML.NET's one-hot and hashed encodings: tens of thousands to millions
/// of slots, a few non-zero per row) that never densifies a batch. The trainers pass each row as its non-zero (slot,
/// value) pairs (<see cref="SparseRowEncoding"/>); the first layer sums the embeddings of the row's slots weighted by their
/// values, h = act(sum_j v_j E[s_j] + b), which equals a dense linear layer x W + b on the full vector (an embedding
/// bag), and <see cref="Body"/> maps h to the outputs. Memory and time per row grow with the non-zero entries, not the
/// slots. <see cref="Slots"/> and <see cref="MaxNonZero"/> are taken from the training data unless set.
/// </summary>
public sealed class SparseInputSpec : StudentSpec
{
    internal const string Tag = "sparse-input";

    /// <summary>Width of the embedding-bag layer (the rows of E). Default 32.</summary>
    public int EmbeddingSize { get; set; } = 32;

    /// <summary>Activation after the embedding bag. Default <see cref="Activation.Relu"/>.</summary>
    public Activation Activation { get; set; } = Activation.Relu;

    /// <summary>The network on top of the embedding bag (its input is <see cref="EmbeddingSize"/> wide). Default an MLP
    /// with one hidden layer of 64 units.</summary>
    public StudentSpec Body { get; set; } = new MlpSpec { HiddenSizes = [64] };

    /// <summary>Length of the sparse feature vector; 0 (default) takes the feature column's length. At most 2^24.</summary>
    public int Slots { get; set; }

    /// <summary>Most non-zero entries a row may have; 0 (default) takes the largest count in the training and validation
    /// rows. A scored row with more is refused, naming this option.</summary>
    public int MaxNonZero { get; set; }

    /// <summary>A copy with <see cref="Slots"/> and <see cref="MaxNonZero"/> set (those already set are kept).</summary>
    public SparseInputSpec Resolved(int slots, int maxNonZero) => new()
    {
        EmbeddingSize = EmbeddingSize, Activation = Activation, Body = Body,
        Slots = Slots > 0 ? Slots : slots, MaxNonZero = MaxNonZero > 0 ? MaxNonZero : Math.Max(1, maxNonZero),
    };

    /// <summary>True once <see cref="Slots"/> and <see cref="MaxNonZero"/> are known.</summary>
    public bool IsResolved => Slots > 0 && MaxNonZero > 0;

    /// <inheritdoc />
    public override nn.Module<Tensor, Tensor> Build(int inputSize, int outputSize)
    {
        Validate("Student");
        if (!IsResolved)
            throw new InvalidOperationException($"{this} does not know its Slots and MaxNonZero yet; the AdaptiveLoss trainers set them from the data (or set both).");
        if (inputSize != SparseRowEncoding.Width(MaxNonZero))
            throw new ArgumentException($"{this} reads {Slots} slots as {MaxNonZero} (slot, value) pairs ({SparseRowEncoding.Width(MaxNonZero)} values per row); got rows of {inputSize}.", nameof(inputSize));
        return new SparseBagModule(this, Body.Build(EmbeddingSize, outputSize));
    }

    /// <inheritdoc />
    public override void ValidateInput(int featureCount, string optionName)
    {
        // The training loop sees the encoded rows; the trainers check the feature column's length.
        if (IsResolved && featureCount == SparseRowEncoding.Width(MaxNonZero)) return;
        if (featureCount > SparseRowEncoding.MaxSlots)
            throw new ArgumentException($"The feature column has {featureCount} slots; {this} indexes at most {SparseRowEncoding.MaxSlots} (2^24). Hash into fewer bits.", optionName);
        if (Slots > 0 && Slots != featureCount)
            throw new ArgumentException($"{optionName}.Slots is {Slots} but the feature column has {featureCount} slots; set Slots to 0 to take the column's length.", optionName);
    }

    /// <inheritdoc />
    public override void Validate(string optionName)
    {
        if (EmbeddingSize < 1 || EmbeddingSize > 65_536)
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.EmbeddingSize is {EmbeddingSize}; it must be in 1..65536 (e.g. 32).");
        if (!Enum.IsDefined(Activation))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.Activation value {(int)Activation} is not a known activation.");
        if (Body is null) throw new ArgumentException($"{optionName}.Body is null; give the network on top of the embedding bag (e.g. new MlpSpec {{ HiddenSizes = [64] }}).", optionName);
        if (Body is SparseInputSpec) throw new ArgumentException($"{optionName}.Body reads dense embeddings; it cannot be another SparseInputSpec.", optionName);
        Body.Validate(optionName + ".Body");
        if (Slots < 0 || Slots > SparseRowEncoding.MaxSlots)
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.Slots is {Slots}; it must be in 0..{SparseRowEncoding.MaxSlots} (0 = the column's length).");
        if (MaxNonZero < 0 || MaxNonZero > 1_000_000)
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.MaxNonZero is {MaxNonZero}; it must be in 0..1000000 (0 = from the data).");
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"Sparse({(Slots > 0 ? $"{Slots:N0} slots" : "slots from data")}, {(MaxNonZero > 0 ? $"{MaxNonZero} non-zero" : "non-zero from data")}; bag {EmbeddingSize}, {Activation}; {Body})";

    /// <inheritdoc />
    protected override string TypeTag => Tag;

    /// <inheritdoc />
    protected override void WriteSettings(BinaryWriter writer)
    {
        writer.Write(EmbeddingSize);
        writer.Write((int)Activation);
        writer.Write(Slots);
        writer.Write(MaxNonZero);
        Body.Write(writer);
    }

    internal static SparseInputSpec ReadSettings(BinaryReader reader)
    {
        var spec = new SparseInputSpec { EmbeddingSize = reader.ReadInt32(), Activation = (Activation)reader.ReadInt32(), Slots = reader.ReadInt32(), MaxNonZero = reader.ReadInt32() };
        spec.Body = Read(reader);
        try { spec.Validate("Student"); }
        catch (ArgumentException e) { throw new InvalidDataException("Corrupt sparse-input student description in model file: " + e.Message, e); }
        return spec;
    }
}
