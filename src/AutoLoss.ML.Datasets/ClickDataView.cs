using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Datasets;

/// <summary>
/// A read-only, lazy <see cref="IDataView"/> over the rows of a <see cref="ClickGenerator"/>: <c>Label</c> (bool), one
/// text column per field, then <c>Hard</c> (bool). A cursor draws its current row from (process, row seed, position)
/// when it moves, so the view holds no rows and any number of cursors can read it.
/// </summary>
internal sealed class ClickDataView : IDataView
{
    private readonly ClickGenerator _generator;
    private readonly long _rowCount;
    private readonly int _rowSeed;

    public ClickDataView(ClickGenerator generator, long rowCount, int rowSeed)
    {
        (_generator, _rowCount, _rowSeed) = (generator, rowCount, rowSeed);
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(ClickData.LabelColumn, BooleanDataViewType.Instance);
        for (int f = 0; f < generator.FieldCount; f++) builder.AddColumn(generator.Field(f).Name, TextDataViewType.Instance);
        builder.AddColumn(ClickData.HardColumn, BooleanDataViewType.Instance);
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
        private readonly ClickDataView _view;
        private readonly bool[] _active;
        private readonly bool _anyActive;
        private readonly int[] _values;
        private bool _label, _hard;
        private long _position = -1;
        private bool _done;

        public Cursor(ClickDataView view, IEnumerable<DataViewSchema.Column> columnsNeeded)
        {
            _view = view;
            _active = new bool[view.Schema.Count];
            foreach (var column in columnsNeeded) _active[column.Index] = true;
            _anyActive = Array.IndexOf(_active, true) >= 0;
            _values = new int[view._generator.FieldCount];
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
            // Counting passes ask for no column; skip drawing the row for them.
            if (_anyActive) _view._generator.Draw(_view._rowSeed, _position, _values, out _hard, out _, out _label);
            return true;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

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
            int index = column.Index;
            if (index == 0 || index == _active.Length - 1)
            {
                if (typeof(TValue) != typeof(bool))
                    throw new InvalidOperationException($"Column '{column.Name}' is bool, not {typeof(TValue)}.");
                bool isLabel = index == 0;
                ValueGetter<bool> flag = (ref bool value) =>
                {
                    EnsureOnRow();
                    value = isLabel ? _label : _hard;
                };
                return (ValueGetter<TValue>)(Delegate)flag;
            }
            if (typeof(TValue) != typeof(ReadOnlyMemory<char>))
                throw new InvalidOperationException($"Column '{column.Name}' is text (ReadOnlyMemory<char>), not {typeof(TValue)}.");
            int field = index - 1;
            ValueGetter<ReadOnlyMemory<char>> text = (ref ReadOnlyMemory<char> value) =>
            {
                EnsureOnRow();
                value = _view._generator.Text(field, _values[field]).AsMemory();
            };
            return (ValueGetter<TValue>)(Delegate)text;
        }

        private void EnsureOnRow()
        {
            if (_position < 0 || _done)
                throw new InvalidOperationException("The cursor is not positioned on a row.");
        }
    }
}
