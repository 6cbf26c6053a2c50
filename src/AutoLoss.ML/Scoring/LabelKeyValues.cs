using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Scoring;

/// <summary>
/// The label's key values (e.g. the digits "0".."9" after MapValueToKey), kept so that
/// PredictedLabel carries them as KeyValues (MapKeyToValue works) and Score carries them as
/// SlotNames, exactly as ML.NET's own multiclass trainers do. Stored as text plus the original
/// item type so they survive save/load.
/// </summary>
internal sealed class LabelKeyValues
{
    private static readonly (string Tag, DataViewType Type)[] SupportedTypes =
    [
        ("text", TextDataViewType.Instance), ("single", NumberDataViewType.Single), ("double", NumberDataViewType.Double),
        ("int32", NumberDataViewType.Int32), ("uint32", NumberDataViewType.UInt32), ("int64", NumberDataViewType.Int64),
        ("uint64", NumberDataViewType.UInt64), ("int16", NumberDataViewType.Int16), ("uint16", NumberDataViewType.UInt16),
        ("byte", NumberDataViewType.Byte), ("sbyte", NumberDataViewType.SByte), ("bool", BooleanDataViewType.Instance),
    ];

    /// <summary>Annotation names ML.NET's evaluators and MapKeyToValue look for.</summary>
    public const string KeyValuesKind = "KeyValues", SlotNamesKind = "SlotNames";

    private LabelKeyValues(string typeTag, string[] values)
    {
        TypeTag = typeTag;
        Values = values;
    }

    /// <summary>Tag of the item type (see <see cref="SupportedTypes"/>).</summary>
    public string TypeTag { get; }

    /// <summary>Values in key order, as invariant text.</summary>
    public string[] Values { get; }

    private DataViewType ItemType => SupportedTypes.First(t => t.Tag == TypeTag).Type;

    /// <summary>Reads the KeyValues annotation of a label column, or null when it has none.</summary>
    public static LabelKeyValues? FromLabel(DataViewSchema.Column label)
    {
        var annotation = label.Annotations.Schema.GetColumnOrNull(KeyValuesKind);
        if (annotation?.Type is not VectorDataViewType vector) return null;
        var tag = SupportedTypes.FirstOrDefault(t => t.Type.Equals(vector.ItemType)).Tag ?? "text";
        var read = typeof(LabelKeyValues).GetMethod(nameof(ReadAsText), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(vector.ItemType.RawType);
        return new LabelKeyValues(tag, (string[])read.Invoke(null, [label.Annotations])!);
    }

    /// <summary>Rebuilds saved key values.</summary>
    public static LabelKeyValues FromSaved(string typeTag, string[] values)
    {
        if (!SupportedTypes.Any(t => t.Tag == typeTag))
            throw new InvalidDataException($"Unknown key value type '{typeTag}' in model file.");
        return new LabelKeyValues(typeTag, values);
    }

    /// <summary>Adds KeyValues (original type) to a PredictedLabel column's annotations.</summary>
    public void AddKeyValues(DataViewSchema.Annotations.Builder builder)
    {
        var add = typeof(LabelKeyValues).GetMethod(nameof(AddTyped), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .MakeGenericMethod(ItemType.RawType);
        add.Invoke(this, [builder]);
    }

    /// <summary>Adds SlotNames (text) to a Score column's annotations.</summary>
    public void AddSlotNames(DataViewSchema.Annotations.Builder builder)
    {
        var names = new VBuffer<ReadOnlyMemory<char>>(Values.Length, Values.Select(v => v.AsMemory()).ToArray());
        builder.Add(SlotNamesKind, new VectorDataViewType(TextDataViewType.Instance, Values.Length), (ValueGetter<VBuffer<ReadOnlyMemory<char>>>)((ref VBuffer<ReadOnlyMemory<char>> dst) => names.CopyTo(ref dst)));
    }

    private static string[] ReadAsText<T>(DataViewSchema.Annotations annotations)
    {
        VBuffer<T> values = default;
        annotations.GetValue(KeyValuesKind, ref values);
        return values.DenseValues().Select(v => v switch
        {
            ReadOnlyMemory<char> text => text.ToString(),
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => v?.ToString() ?? "",
        }).ToArray();
    }

    private void AddTyped<T>(DataViewSchema.Annotations.Builder builder)
    {
        var values = Values.Select(Parse<T>).ToArray();
        var buffer = new VBuffer<T>(values.Length, values);
        builder.Add(KeyValuesKind, new VectorDataViewType((PrimitiveDataViewType)ItemType, values.Length), (ValueGetter<VBuffer<T>>)((ref VBuffer<T> dst) => buffer.CopyTo(ref dst)));
    }

    private static T Parse<T>(string text)
    {
        object value = typeof(T) == typeof(ReadOnlyMemory<char>) ? text.AsMemory()
            : typeof(T) == typeof(bool) ? bool.Parse(text)
            : Convert.ChangeType(text, typeof(T), CultureInfo.InvariantCulture);
        return (T)value;
    }
}
