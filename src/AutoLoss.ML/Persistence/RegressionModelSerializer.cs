using AutoLoss.ML.Data;
using AutoLoss.ML.Scoring;

namespace AutoLoss.ML.Persistence;

/// <summary>Binary format of one <see cref="AdaptiveLossRegressionTransformer"/>: a magic header and
/// version, the feature column and size, the training loss, the label's standardization (mean and scale, which map the
/// student's output back to label units), then the student (<see cref="StudentWeights"/>).</summary>
internal static class RegressionModelSerializer
{
    public const string Tag = "regression";
    private const string Magic = "AutoLoss.ML/regression";

    public static void Write(AdaptiveLossRegressionTransformer model, Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        ModelEntryHeader.Write(writer, Magic, model);
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
            var header = ModelEntryHeader.Read(reader, Magic, Tag);
            var scaling = new LabelStandardization(reader.ReadSingle(), reader.ReadSingle());
            if (!float.IsFinite(scaling.Mean) || !(scaling.Scale > 0 && float.IsFinite(scaling.Scale)))
                throw new InvalidDataException($"Corrupt model entry: label mean {scaling.Mean}, scale {scaling.Scale}.");
            var (spec, student) = StudentWeights.Read(reader, header.FeatureCount, outputSize: 1);
            return new AdaptiveLossRegressionTransformer(StudentScorer.Regressor(student, spec, header.FeatureCount, scaling), header.FeatureColumn, []) { TrainingLoss = header.TrainingLoss };
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The model entry is truncated.", e);
        }
    }
}
