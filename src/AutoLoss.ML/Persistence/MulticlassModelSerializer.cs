using AutoLoss.ML.Scoring;

namespace AutoLoss.ML.Persistence;

/// <summary>Binary format of one <see cref="AdaptiveLossMulticlassTransformer"/>: a magic header and
/// version, the feature column and size, the training loss (<see cref="ModelEntryHeader"/>), the class count, the label's key values, the student's architecture and
/// its weights (TorchSharp's state-dict format).</summary>
internal static class MulticlassModelSerializer
{
    public const string Tag = "multiclass";
    private const string Magic = "AutoLoss.ML/multiclass";

    public static void Write(AdaptiveLossMulticlassTransformer model, Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        ModelEntryHeader.Write(writer, Magic, model);
        writer.Write(model.NumberOfClasses);
        LabelKeyValuesFormat.Write(writer, model.KeyValues);
        StudentWeights.Write(writer, model.Student, model.Scorer.Student);
    }

    public static AdaptiveLossMulticlassTransformer Read(Stream stream)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        try
        {
            var header = ModelEntryHeader.Read(reader, Magic, Tag);
            int classCount = reader.ReadInt32();
            if (classCount < 2)
                throw new InvalidDataException($"Corrupt model entry: {classCount} classes.");
            var keys = LabelKeyValuesFormat.Read(reader, classCount);
            var (spec, student) = StudentWeights.Read(reader, header.FeatureCount, classCount);
            return new AdaptiveLossMulticlassTransformer(StudentScorer.Classifier(student, spec, header.FeatureCount, classCount), header.FeatureColumn, keys, []) { TrainingLoss = header.TrainingLoss };
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The model entry is truncated.", e);
        }
    }
}
