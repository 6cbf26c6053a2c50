using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Datasets;

/// <summary>Writes row <paramref name="row"/>'s features (skipped when the span is empty) and returns its label.</summary>
internal delegate float RowFiller(long row, Span<float> features);

/// <summary>
/// A read-only <see cref="IDataView"/> with a <c>Label</c> (float) column and a known-size
/// <c>Features</c> vector column whose rows come from a <see cref="RowFiller"/>. Rows are produced
/// on demand, so a generator-backed view never holds more than one row per cursor in memory.
/// </summary>
internal sealed class DenseDataView : IDataView
{
    public const string LabelColumn = "Label";
    public const string FeaturesColumn = "Features";

    private readonly long _rowCount;
    private readonly int _featureCount;
    private readonly RowFiller _fill;

    public DenseDataView(long rowCount, int featureCount, RowFiller fill)
    {
        _rowCount = rowCount;
        _featureCount = featureCount;
        _fill = fill;
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(LabelColumn, NumberDataViewType.Single);
        builder.AddColumn(FeaturesColumn, new VectorDataViewType(NumberDataViewType.Single, featureCount));
        Schema = builder.ToSchema();
    }

    // Rows are always served in their fixed order; ML.NET shuffles through its own transforms.
    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _rowCount;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        => new Cursor(this, columnsNeeded);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => [new Cursor(this, columnsNeeded)];

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly DenseDataView _view;
        private readonly bool _labelActive;
        private readonly bool _featuresActive;
        private readonly float[] _features;
        private float _label;
        private long _position = -1;
        private bool _done;

        public Cursor(DenseDataView view, IEnumerable<DataViewSchema.Column> columnsNeeded)
        {
            _view = view;
            foreach (var column in columnsNeeded)
            {
                if (column.Index == 0) _labelActive = true;
                else if (column.Index == 1) _featuresActive = true;
            }
            _features = _featuresActive ? new float[view._featureCount] : [];
        }

        public override DataViewSchema Schema => _view.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool MoveNext()
        {
            if (_done || _position + 1 >= _view._rowCount)
            {
                _done = true;
                return false;
            }
            _position++;
            // Only generate what a consumer asked for: label-only passes skip the features.
            if (_featuresActive || _labelActive)
                _label = _view._fill(_position, _features);
            return true;
        }

        public override bool IsColumnActive(DataViewSchema.Column column)
            => column.Index == 0 ? _labelActive : column.Index == 1 && _featuresActive;

        public override ValueGetter<DataViewRowId> GetIdGetter()
            => (ref DataViewRowId value) =>
            {
                EnsureOnRow();
                value = new DataViewRowId((ulong)_position, 0);
            };

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!IsColumnActive(column))
                throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was created.");
            if (column.Index == 0)
            {
                if (typeof(TValue) != typeof(float))
                    throw new InvalidOperationException($"Column '{LabelColumn}' is float, not {typeof(TValue)}.");
                ValueGetter<float> label = (ref float value) =>
                {
                    EnsureOnRow();
                    value = _label;
                };
                return (ValueGetter<TValue>)(Delegate)label;
            }
            if (typeof(TValue) != typeof(VBuffer<float>))
                throw new InvalidOperationException($"Column '{FeaturesColumn}' is VBuffer<float>, not {typeof(TValue)}.");
            ValueGetter<VBuffer<float>> features = (ref VBuffer<float> value) =>
            {
                EnsureOnRow();
                var editor = VBufferEditor.Create(ref value, _features.Length);
                _features.CopyTo(editor.Values);
                value = editor.Commit();
            };
            return (ValueGetter<TValue>)(Delegate)features;
        }

        private void EnsureOnRow()
        {
            if (_position < 0 || _done)
                throw new InvalidOperationException("The cursor is not positioned on a row.");
        }
    }
}
