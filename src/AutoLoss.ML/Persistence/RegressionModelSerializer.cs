using AutoLoss.ML.Data;
using AutoLoss.ML.Scoring;

namespace AutoLoss.ML.Persistence;

/// <summary>Binary format of one <see cref="AdaptiveLossRegressionTransformer"/>: a magic header and
/// version, the feature column and size, the label's standardization (mean and scale, which map the
/// student's output back to label units), then the student (<see cref="StudentWeights"/>).</summary>
internal static class RegressionModelSerializer
{
    public const string Tag = "regression";
    private const string Magic = "AutoLoss.ML/regression";
    private const int Version = 1;

    public static void Write(AdaptiveLossRegressionTransformer model, Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(Version);
        writer.Write(model.FeatureColumnName);
        writer.Write(model.FeatureCount);
        var scaling = model.Scorer.Regression!.Value;
        writer.Write(scaling.Mean);
        writer.Write(scaling.Scale);
        StudentWeights.Write(writer, model.Student, model.Scorer.Student);
    }

    public static AdaptiveLossRegressionTransformer Read(Stream stream)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        try
        {
            if (reader.ReadString() != Magic)
                throw new InvalidDataException("Not an AutoLoss.ML regression model entry.");
            int version = reader.ReadInt32();
            if (version != Version)
                throw new InvalidDataException($"Regression model format version {version} is not supported by this AutoLoss.ML (expects {Version}).");
            string featureColumn = reader.ReadString();
            int featureCount = reader.ReadInt32();
            if (featureCount <= 0)
                throw new InvalidDataException($"Corrupt model entry: {featureCount} features.");
            var scaling = new LabelStandardization(reader.ReadSingle(), reader.ReadSingle());
            if (!float.IsFinite(scaling.Mean) || !(scaling.Scale > 0 && float.IsFinite(scaling.Scale)))
                throw new InvalidDataException($"Corrupt model entry: label mean {scaling.Mean}, scale {scaling.Scale}.");
            var (spec, student) = StudentWeights.Read(reader, featureCount, outputSize: 1);
            return new AdaptiveLossRegressionTransformer(StudentScorer.Regressor(student, spec, featureCount, scaling), featureColumn, []);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The model entry is truncated.", e);
        }
    }
}
