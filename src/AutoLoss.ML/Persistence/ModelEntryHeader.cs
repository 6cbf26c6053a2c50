namespace AutoLoss.ML.Persistence;

/// <summary>The start every model entry shares: its magic string and format version, the feature column and size, and
/// (from version 2) the loss the student was trained with as code (<see cref="AdaptiveLossTransformerBase.TrainingLoss"/>).
/// Version 1 entries, written before the loss was recorded, still load, with no loss.</summary>
internal readonly record struct ModelEntryHeader(string FeatureColumn, int FeatureCount, string? TrainingLoss)
{
    private const int Version = 2;

    public static void Write(BinaryWriter writer, string magic, AdaptiveLossTransformerBase model)
    {
        writer.Write(magic);
        writer.Write(Version);
        writer.Write(model.FeatureColumnName);
        writer.Write(model.FeatureCount);
        writer.Write(model.TrainingLoss ?? "");
    }

    /// <exception cref="InvalidDataException">Not an entry of <paramref name="kind"/>, an unknown version, or a bad size.</exception>
    public static ModelEntryHeader Read(BinaryReader reader, string magic, string kind)
    {
        if (reader.ReadString() != magic)
            throw new InvalidDataException($"Not an AutoLoss.ML {kind} model entry.");
        int version = reader.ReadInt32();
        if (version is < 1 or > Version)
            throw new InvalidDataException($"{char.ToUpperInvariant(kind[0])}{kind[1..]} model format version {version} is not supported by this AutoLoss.ML (it reads 1 to {Version}).");
        string featureColumn = reader.ReadString();
        int featureCount = reader.ReadInt32();
        if (featureCount <= 0)
            throw new InvalidDataException($"Corrupt model entry: {featureCount} features.");
        string? loss = version >= 2 ? reader.ReadString() : null;
        return new ModelEntryHeader(featureColumn, featureCount, string.IsNullOrEmpty(loss) ? null : loss);
    }
}
