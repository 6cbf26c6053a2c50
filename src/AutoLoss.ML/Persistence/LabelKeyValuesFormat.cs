using AutoLoss.ML.Scoring;

namespace AutoLoss.ML.Persistence;

/// <summary>How a model entry stores its label's key values: a presence flag, then the type tag and one string per class.</summary>
internal static class LabelKeyValuesFormat
{
    public static void Write(BinaryWriter writer, LabelKeyValues? keys)
    {
        writer.Write(keys is not null);
        if (keys is null) return;
        writer.Write(keys.TypeTag);
        writer.Write(keys.Values.Length);
        foreach (var v in keys.Values) writer.Write(v);
    }

    /// <exception cref="InvalidDataException">The stored values do not number <paramref name="classCount"/>.</exception>
    public static LabelKeyValues? Read(BinaryReader reader, int classCount)
    {
        if (!reader.ReadBoolean()) return null;
        string typeTag = reader.ReadString();
        int n = reader.ReadInt32();
        if (n != classCount) throw new InvalidDataException($"Corrupt model entry: {n} key values for {classCount} classes.");
        var values = new string[n];
        for (int i = 0; i < n; i++) values[i] = reader.ReadString();
        return LabelKeyValues.FromSaved(typeTag, values);
    }
}
