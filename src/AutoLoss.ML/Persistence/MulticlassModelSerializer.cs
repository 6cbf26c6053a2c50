using AutoLoss.ML.Scoring;

namespace AutoLoss.ML.Persistence;

/// <summary>Binary format of one <see cref="AdaptiveLossMulticlassTransformer"/>: a magic header and
/// version, the feature column and sizes, the label's key values, the student's architecture and
/// its weights (TorchSharp's state-dict format).</summary>
internal static class MulticlassModelSerializer
{
    public const string Tag = "multiclass";
    private const string Magic = "AutoLoss.ML/multiclass";
    private const int Version = 1;

    public static void Write(AdaptiveLossMulticlassTransformer model, Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(Version);
        writer.Write(model.FeatureColumnName);
        writer.Write(model.FeatureCount);
        writer.Write(model.NumberOfClasses);
        writer.Write(model.KeyValues is not null);
        if (model.KeyValues is { } keys)
        {
            writer.Write(keys.TypeTag);
            writer.Write(keys.Values.Length);
            foreach (var v in keys.Values) writer.Write(v);
        }
        StudentWeights.Write(writer, model.Student, model.Scorer.Student);
    }

    public static AdaptiveLossMulticlassTransformer Read(Stream stream)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        try
        {
            if (reader.ReadString() != Magic)
                throw new InvalidDataException("Not an AutoLoss.ML multiclass model entry.");
            int version = reader.ReadInt32();
            if (version != Version)
                throw new InvalidDataException($"Multiclass model format version {version} is not supported by this AutoLoss.ML (expects {Version}).");
            string featureColumn = reader.ReadString();
            int featureCount = reader.ReadInt32();
            int classCount = reader.ReadInt32();
            if (featureCount <= 0 || classCount < 2)
                throw new InvalidDataException($"Corrupt model entry: {featureCount} features, {classCount} classes.");
            LabelKeyValues? keys = null;
            if (reader.ReadBoolean())
            {
                string typeTag = reader.ReadString();
                int n = reader.ReadInt32();
                if (n != classCount) throw new InvalidDataException($"Corrupt model entry: {n} key values for {classCount} classes.");
                var values = new string[n];
                for (int i = 0; i < n; i++) values[i] = reader.ReadString();
                keys = LabelKeyValues.FromSaved(typeTag, values);
            }
            var (spec, student) = StudentWeights.Read(reader, featureCount, classCount);
            return new AdaptiveLossMulticlassTransformer(StudentScorer.Classifier(student, spec, featureCount, classCount), featureColumn, keys, []);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The model entry is truncated.", e);
        }
    }
}
