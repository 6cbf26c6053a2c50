using AutoLoss.ML.NearestNeighbor;
using AutoLoss.ML.Scoring;

namespace AutoLoss.ML.Persistence;

/// <summary>Binary format of one <see cref="EmbeddingNearestNeighborTransformer"/>: a magic header and version, the
/// embedding column and size, the class count, k, the label's key values, then the references' classes and
/// embeddings (as given).</summary>
internal static class NearestNeighborSerializer
{
    public const string Tag = "nearest-neighbor";
    private const string Magic = "AutoLoss.ML/nearest-neighbor";
    private const int FormatVersion = 2;   // 2 adds k

    public static void Write(EmbeddingNearestNeighborTransformer model, Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(FormatVersion);
        writer.Write(model.EmbeddingColumnName);
        var scorer = model.Scorer;
        writer.Write(scorer.Dimensions);
        writer.Write(scorer.NumberOfClasses);
        writer.Write(scorer.Neighbors);
        LabelKeyValuesFormat.Write(writer, model.Keys);
        writer.Write(scorer.Labels.Length);
        foreach (int label in scorer.Labels) writer.Write(label);
        foreach (float v in scorer.RawReferences) writer.Write(v);
    }

    public static EmbeddingNearestNeighborTransformer Read(Stream stream)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        try
        {
            if (reader.ReadString() != Magic) throw new InvalidDataException("Not a nearest-neighbour entry.");
            int version = reader.ReadInt32();
            if (version != FormatVersion) throw new InvalidDataException($"Nearest-neighbour format {version} is not supported (expected {FormatVersion}).");
            string column = reader.ReadString();
            int dimensions = reader.ReadInt32(), classes = reader.ReadInt32(), neighbors = reader.ReadInt32();
            if (dimensions < 1 || dimensions > NearestNeighborColumns.MaximumDimensions || classes < 1 || classes > 1 << 20 || neighbors < 1)
                throw new InvalidDataException($"Corrupt nearest-neighbour entry: {dimensions} dimensions, {classes} classes, k {neighbors}.");
            var keys = LabelKeyValuesFormat.Read(reader, classes);
            int count = reader.ReadInt32();
            if (count < 1 || (long)count * dimensions > NearestNeighborColumns.MaximumReferenceValues)
                throw new InvalidDataException($"Corrupt nearest-neighbour entry: {count} references.");
            var labels = new int[count];
            for (int i = 0; i < count; i++)
            {
                labels[i] = reader.ReadInt32();
                if (labels[i] < 0 || labels[i] >= classes) throw new InvalidDataException($"Corrupt nearest-neighbour entry: reference class {labels[i]} of {classes}.");
            }
            var references = new float[count * dimensions];
            for (int i = 0; i < references.Length; i++)
            {
                references[i] = reader.ReadSingle();
                if (!float.IsFinite(references[i])) throw new InvalidDataException("Corrupt nearest-neighbour entry: a reference embedding is not finite.");
            }
            return new EmbeddingNearestNeighborTransformer(new NearestReferenceScorer(references, labels, dimensions, classes, neighbors), column, keys);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The nearest-neighbour entry is truncated.", e);
        }
    }
}
