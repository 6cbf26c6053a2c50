using AutoLoss.ML.Scoring;

namespace AutoLoss.ML.Persistence;

/// <summary>Binary format of one <see cref="AdaptiveLossEmbeddingTransformer"/>: a magic header and version, the feature
/// column and size, the training loss (<see cref="ModelEntryHeader"/>), the embedding size, then the student
/// (<see cref="StudentWeights"/>).</summary>
internal static class EmbeddingModelSerializer
{
    public const string Tag = "embedding";
    private const string Magic = "AutoLoss.ML/embedding";

    public static void Write(AdaptiveLossEmbeddingTransformer model, Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        ModelEntryHeader.Write(writer, Magic, model);
        writer.Write(model.EmbeddingSize);
        StudentWeights.Write(writer, model.Student, model.Scorer.Student);
    }

    public static AdaptiveLossEmbeddingTransformer Read(Stream stream)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        try
        {
            var header = ModelEntryHeader.Read(reader, Magic, Tag);
            int size = reader.ReadInt32();
            if (size < 2 || size > AdaptiveLossEmbeddingTrainer.MaximumEmbeddingSize)
                throw new InvalidDataException($"Corrupt model entry: embedding size {size}.");
            var (spec, student) = StudentWeights.Read(reader, header.FeatureCount, size);
            return new AdaptiveLossEmbeddingTransformer(StudentScorer.Embedder(student, spec, header.FeatureCount, size), header.FeatureColumn, []) { TrainingLoss = header.TrainingLoss };
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The model entry is truncated.", e);
        }
    }
}
