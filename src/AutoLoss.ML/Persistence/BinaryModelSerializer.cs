using AutoLoss.ML.Scoring;

namespace AutoLoss.ML.Persistence;

/// <summary>Binary format of one <see cref="AdaptiveLossBinaryTransformer"/>: a magic header and version, the
/// feature column and size, then the two-output student (<see cref="StudentWeights"/>).</summary>
internal static class BinaryModelSerializer
{
    public const string Tag = "binary";
    private const string Magic = "AutoLoss.ML/binary";
    private const int Version = 1;

    public static void Write(AdaptiveLossBinaryTransformer model, Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(Version);
        writer.Write(model.FeatureColumnName);
        writer.Write(model.FeatureCount);
        StudentWeights.Write(writer, model.Student, model.Scorer.Student);
    }

    public static AdaptiveLossBinaryTransformer Read(Stream stream)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        try
        {
            if (reader.ReadString() != Magic)
                throw new InvalidDataException("Not an AutoLoss.ML binary model entry.");
            int version = reader.ReadInt32();
            if (version != Version)
                throw new InvalidDataException($"Binary model format version {version} is not supported by this AutoLoss.ML (expects {Version}).");
            string featureColumn = reader.ReadString();
            int featureCount = reader.ReadInt32();
            if (featureCount <= 0)
                throw new InvalidDataException($"Corrupt model entry: {featureCount} features.");
            var (spec, student) = StudentWeights.Read(reader, featureCount, outputSize: 2);
            return new AdaptiveLossBinaryTransformer(StudentScorer.Classifier(student, spec, featureCount, 2), featureColumn, []);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The model entry is truncated.", e);
        }
    }
}
