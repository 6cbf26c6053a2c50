using AutoLoss.ML.Scoring;

namespace AutoLoss.ML.Persistence;

/// <summary>Binary format of one <see cref="AdaptiveLossBinaryTransformer"/>: a magic header and version, the
/// feature column and size, the training loss, then the two-output student (<see cref="StudentWeights"/>).</summary>
internal static class BinaryModelSerializer
{
    public const string Tag = "binary";
    private const string Magic = "AutoLoss.ML/binary";

    public static void Write(AdaptiveLossBinaryTransformer model, Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        ModelEntryHeader.Write(writer, Magic, model);
        StudentWeights.Write(writer, model.Student, model.Scorer.Student);
    }

    public static AdaptiveLossBinaryTransformer Read(Stream stream)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        try
        {
            var header = ModelEntryHeader.Read(reader, Magic, Tag);
            var (spec, student) = StudentWeights.Read(reader, header.FeatureCount, outputSize: 2);
            return new AdaptiveLossBinaryTransformer(StudentScorer.Classifier(student, spec, header.FeatureCount, 2), header.FeatureColumn, []) { TrainingLoss = header.TrainingLoss };
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The model entry is truncated.", e);
        }
    }
}
