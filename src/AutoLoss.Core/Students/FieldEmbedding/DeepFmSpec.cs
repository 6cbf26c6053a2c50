using AutoLoss.Core.Students.FieldEmbedding;
using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>
/// A DeepFM student for click prediction and other data made of categorical fields (Guo et al., IJCAI 2017). Each
/// feature is one field's category index: an integer in 1..<c>FieldCardinalities[f]</c>, with 0 for a missing or unknown
/// value (the raw values of ML.NET's key columns; ML.NET does not convert keys to float, so map each field's values to
/// indices when preparing the data, e.g. with <c>Conversion.MapValue</c> and a lookup built from the training rows).
/// Values outside that range, fractional values and NaN count as unknown, so unseen categories at scoring time are safe. Every category has an embedding e_f in R^k; the logits are
/// z = sum_f w_f (first order) + P (0.5 ((sum_f e_f)^2 - sum_f e_f^2)) (the factorisation-machine interactions,
/// projected to the outputs) + MLP(concat_f e_f) (the deep part), all sharing the embeddings.
/// </summary>
public sealed class DeepFmSpec : StudentSpec
{
    internal const string Tag = "deepfm";

    /// <summary>Number of categories of each field, in feature order (the feature vector has one slot per field);
    /// each at least 1. Required: set it to the key counts of the field columns.</summary>
    public int[] FieldCardinalities { get; set; } = [];

    /// <summary>k, the embedding size of every category. Default 8.</summary>
    public int EmbeddingSize { get; set; } = 8;

    /// <summary>Widths of the deep part's hidden layers. Default <c>[200, 200]</c>; empty leaves a linear map of the
    /// concatenated embeddings.</summary>
    public int[] DeepHiddenSizes { get; set; } = [200, 200];

    /// <summary>Activation of the deep part. Default <see cref="Activation.Relu"/>.</summary>
    public Activation Activation { get; set; } = Activation.Relu;

    /// <summary>Dropout after each hidden activation of the deep part, in [0, 1). Default 0.</summary>
    public double Dropout { get; set; }

    /// <inheritdoc />
    public override IReadOnlyList<int>? InputShape => [FieldCardinalities.Length];

    /// <inheritdoc />
    public override nn.Module<Tensor, Tensor> Build(int inputSize, int outputSize)
    {
        Validate("Student");
        ValidateInput(inputSize, "Student");
        return new DeepFmModule(this, outputSize);
    }

    /// <inheritdoc />
    public override void ValidateInput(int featureCount, string optionName)
    {
        if (featureCount != FieldCardinalities.Length)
            throw new ArgumentException(
                $"{optionName} {this} reads {FieldCardinalities.Length} fields (one category index per feature), but the feature column has {featureCount} values; " +
                "concatenate exactly the field columns (keys converted to float) into Features, in the order of FieldCardinalities.", optionName);
    }

    /// <inheritdoc />
    public override void Validate(string optionName)
    {
        if (FieldCardinalities is null || FieldCardinalities.Length == 0)
            throw new ArgumentException($"{optionName}.FieldCardinalities is empty; give the number of categories of each field (e.g. the key counts of the field columns).", optionName);
        for (int f = 0; f < FieldCardinalities.Length; f++)
            if (FieldCardinalities[f] < 1)
                throw new ArgumentOutOfRangeException(optionName, $"{optionName}.FieldCardinalities[{f}] is {FieldCardinalities[f]}; every field needs at least one category.");
        if (FieldCardinalities.Sum(c => (long)c + 1) > int.MaxValue)
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.FieldCardinalities add up to more than {int.MaxValue} categories; hash the largest fields into fewer buckets.");
        if (EmbeddingSize < 1 || EmbeddingSize > 4096)
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.EmbeddingSize is {EmbeddingSize}; it must be in 1..4096 (e.g. 8).");
        if (DeepHiddenSizes is null || DeepHiddenSizes.Any(h => h <= 0))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.DeepHiddenSizes must be positive widths (e.g. [200, 200]; empty for none).");
        if (!(Dropout >= 0 && Dropout < 1))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.Dropout is {Dropout}; it must be in [0, 1).");
        if (!Enum.IsDefined(Activation))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.Activation value {(int)Activation} is not a known activation.");
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"DeepFM({FieldCardinalities.Length} fields, {FieldCardinalities.Sum(c => (long)c):N0} categories; k {EmbeddingSize}; deep " +
        $"{(DeepHiddenSizes.Length == 0 ? "linear" : string.Join(",", DeepHiddenSizes))}; {Activation}{(Dropout > 0 ? $"; dropout {Dropout}" : "")})";

    /// <inheritdoc />
    protected override string TypeTag => Tag;

    /// <inheritdoc />
    protected override void WriteSettings(BinaryWriter writer)
    {
        writer.Write(FieldCardinalities.Length);
        foreach (int c in FieldCardinalities) writer.Write(c);
        writer.Write(EmbeddingSize);
        writer.Write(DeepHiddenSizes.Length);
        foreach (int h in DeepHiddenSizes) writer.Write(h);
        writer.Write((int)Activation);
        writer.Write(Dropout);
    }

    internal static DeepFmSpec ReadSettings(BinaryReader reader)
    {
        int[] ReadInts(int max, string what)
        {
            int n = reader.ReadInt32();
            if (n < 0 || n > max) throw new InvalidDataException($"Corrupt DeepFM description: {n} {what}.");
            var values = new int[n];
            for (int i = 0; i < n; i++) values[i] = reader.ReadInt32();
            return values;
        }
        var spec = new DeepFmSpec { FieldCardinalities = ReadInts(100_000, "fields"), EmbeddingSize = reader.ReadInt32(), DeepHiddenSizes = ReadInts(1024, "hidden layers") };
        spec.Activation = (Activation)reader.ReadInt32();
        spec.Dropout = reader.ReadDouble();
        try { spec.Validate("Student"); }
        catch (ArgumentException e) { throw new InvalidDataException("Corrupt DeepFM description in model file: " + e.Message, e); }
        return spec;
    }
}
