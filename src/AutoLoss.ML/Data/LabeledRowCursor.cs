using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Data;

/// <summary>
/// Reads (features, label, weight) rows from an IDataView cursor and validates each one in C#
/// before it can reach libtorch (a NaN, an out-of-range label or a wrong size would otherwise
/// abort the process or poison training).
/// </summary>
internal sealed class LabeledRowCursor : IDisposable
{
    private readonly DataViewRowCursor _cursor;
    private readonly ValueGetter<VBuffer<float>> _features;
    private readonly ValueGetter<uint>? _classLabel;
    private readonly ValueGetter<float>? _target;
    private readonly ValueGetter<bool>? _positive;
    private readonly ValueGetter<float>? _weight;
    private readonly TrainingColumns _columns;
    private readonly FeatureRowWriter _rows;
    private readonly string _dataName;
    private VBuffer<float> _buffer;
    private float _weightValue, _targetValue;

    /// <summary>Opens a cursor; with <paramref name="labelOnly"/> only the label column is computed.</summary>
    public LabeledRowCursor(IDataView data, TrainingColumns columns, string dataName, bool labelOnly = false)
    {
        _columns = columns;
        _rows = columns.CreateRowWriter();
        _dataName = dataName;
        var schema = data.Schema;
        var active = new List<DataViewSchema.Column> { schema[columns.Label] };
        if (!labelOnly) active.Add(schema[columns.Features]);
        if (columns.Weight is not null && !labelOnly) active.Add(schema[columns.Weight]);
        _cursor = data.GetRowCursor(active);
        _features = labelOnly ? (ref VBuffer<float> _) => throw new InvalidOperationException("Features were not requested.")
                              : _cursor.GetGetter<VBuffer<float>>(schema[columns.Features]);
        // The trainer's task binding already checked the label column's type for its task.
        if (schema[columns.Label].Type == NumberDataViewType.Single)
            _target = _cursor.GetGetter<float>(schema[columns.Label]);
        else if (schema[columns.Label].Type == BooleanDataViewType.Instance)
            _positive = _cursor.GetGetter<bool>(schema[columns.Label]);
        else
            _classLabel = KeyAsUInt32(_cursor, schema[columns.Label]);
        if (columns.Weight is not null && !labelOnly) _weight = _cursor.GetGetter<float>(schema[columns.Weight]);
    }

    /// <summary>Zero-based position of the current row in the unshuffled data.</summary>
    public long Position => _cursor.Position;

    /// <summary>Advances to the next row.</summary>
    public bool MoveNext() => _cursor.MoveNext();

    /// <summary>Reads the current row's label: the 0-based class of a classification task (as a
    /// double, exactly), or the target of a regression task. Returns false when a class label is
    /// missing (key value 0): such rows are skipped, as ML.NET's trainers skip rows without a label.</summary>
    /// <exception cref="InvalidDataException">A regression target is NaN or infinite.</exception>
    public bool TryReadLabel(out double label)
    {
        if (_target is not null)
        {
            _target(ref _targetValue);
            if (!float.IsFinite(_targetValue))
                throw new InvalidDataException(
                    $"Label column '{_columns.Label}' holds {_targetValue} at row {Position} of the {_dataName}; regression needs a finite target. " +
                    $"Filter such rows out first (mlContext.Data.FilterRowsByMissingValues(data, \"{_columns.Label}\") for NaN, " +
                    $"mlContext.Data.FilterRowsByColumn(data, \"{_columns.Label}\", lower, upper) for infinities).");
            label = _targetValue;
            return true;
        }
        if (_positive is not null)
        {
            bool positive = false;
            _positive(ref positive);
            label = positive ? 1 : 0;
            return true;
        }
        uint key = 0;
        _classLabel!(ref key);
        label = key == 0 ? double.NaN : key - 1;
        if (_columns.ClassCount > 0 && key > _columns.ClassCount)   // identities (embedding tasks) are bounded by their key type only
            throw new InvalidOperationException($"Label column '{_columns.Label}' has key {key} at row {Position} of the {_dataName}, beyond its {_columns.ClassCount} classes.");
        return key != 0;
    }

    /// <summary>Writes the current row's features into <paramref name="destination"/> (<see cref="TrainingColumns.RowWidth"/>
    /// values: a dense copy, or the (slot, value) pairs of a sparse-input student) after checking them.</summary>
    public void ReadFeatures(Span<float> destination)
    {
        _features(ref _buffer);
        _rows.Write(_buffer, destination, _columns.Features, () => $"row {Position} of the {_dataName}");
        var values = _rows.IsSparse ? _buffer.GetValues() : destination;
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i]))
                throw new InvalidOperationException(
                    $"Feature column '{_columns.Features}' holds {values[i]} (slot {(_rows.IsSparse && !_buffer.IsDense ? _buffer.GetIndices()[i] : i)}) at row {Position} of the {_dataName}. " +
                    "Replace missing values first (mlContext.Transforms.ReplaceMissingValues) or filter such rows out.");
    }

    /// <summary>The current row's weight (1 without a weight column), checked to be finite and >= 0.</summary>
    public float ReadWeight()
    {
        if (_weight is null) return 1f;
        _weight(ref _weightValue);
        if (!(float.IsFinite(_weightValue) && _weightValue >= 0))
            throw new InvalidOperationException($"Example weight column '{_columns.Weight}' holds {_weightValue} at row {Position} of the {_dataName}; weights must be finite and >= 0.");
        return _weightValue;
    }

    public void Dispose() => _cursor.Dispose();

    /// <summary>A getter returning any key column's value as uint (keys may be stored as byte..ulong).</summary>
    internal static ValueGetter<uint> KeyAsUInt32(DataViewRow row, DataViewSchema.Column column)
    {
        switch (((KeyDataViewType)column.Type).RawType)
        {
            case var t when t == typeof(uint): return row.GetGetter<uint>(column);
            case var t when t == typeof(byte): { var g = row.GetGetter<byte>(column); byte v = 0; return (ref uint d) => { g(ref v); d = v; }; }
            case var t when t == typeof(ushort): { var g = row.GetGetter<ushort>(column); ushort v = 0; return (ref uint d) => { g(ref v); d = v; }; }
            case var t when t == typeof(ulong): { var g = row.GetGetter<ulong>(column); ulong v = 0; return (ref uint d) => { g(ref v); d = checked((uint)v); }; }
            default: throw new ArgumentOutOfRangeException("LabelColumnName", $"Label column '{column.Name}' has an unsupported key storage type.");
        }
    }
}
