using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Datasets;

/// <summary>
/// A read-only <see cref="IDataView"/> whose rows a generator computes in order, on demand: a cursor holds one row, so a
/// view of any length costs no memory. Rows are served in their fixed order (ML.NET shuffles through its own transforms).
/// A concrete view gives its schema and makes cursors that generate a row and serve its columns.
/// </summary>
internal abstract class GeneratedDataView : IDataView
{
    protected GeneratedDataView(long rowCount, DataViewSchema schema)
    {
        RowCount = rowCount;
        Schema = schema;
    }

    public long RowCount { get; }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => RowCount;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => CreateCursor(Active(columnsNeeded));

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [CreateCursor(Active(columnsNeeded))];

    /// <summary>A cursor over the rows that serves the columns flagged in <paramref name="active"/>.</summary>
    protected abstract GeneratedRowCursor CreateCursor(bool[] active);

    private bool[] Active(IEnumerable<DataViewSchema.Column> columnsNeeded)
    {
        var active = new bool[Schema.Count];
        foreach (var column in columnsNeeded) active[column.Index] = true;
        return active;
    }
}

/// <summary>The cursor of a <see cref="GeneratedDataView"/>: moves through the rows, generating each one only when some
/// column was asked for (counting passes ask for none), and checks every getter's column and type.</summary>
internal abstract class GeneratedRowCursor : DataViewRowCursor
{
    private readonly GeneratedDataView _view;
    private readonly bool[] _active;
    private readonly bool _anyActive;
    private long _position = -1;
    private bool _done;

    protected GeneratedRowCursor(GeneratedDataView view, bool[] active)
    {
        _view = view;
        _active = active;
        _anyActive = Array.IndexOf(active, true) >= 0;
    }

    public override DataViewSchema Schema => _view.Schema;

    public override long Position => _position;

    public override long Batch => 0;

    public override bool MoveNext()
    {
        if (_done || _position + 1 >= _view.RowCount)
        {
            _done = true;
            return false;
        }
        _position++;
        if (_anyActive) Generate(_position);
        return true;
    }

    public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

    public override ValueGetter<DataViewRowId> GetIdGetter()
        => (ref DataViewRowId value) =>
        {
            EnsureOnRow();
            value = new DataViewRowId((ulong)_position, 0);
        };

    /// <summary>Computes row <paramref name="row"/> into the cursor's own buffers.</summary>
    protected abstract void Generate(long row);

    /// <summary>A getter of <paramref name="column"/>, which holds <typeparamref name="TColumn"/>, asked for as
    /// <typeparamref name="TValue"/>: refused unless the column is active and the types match; reads only on a row.</summary>
    protected ValueGetter<TValue> Getter<TValue, TColumn>(DataViewSchema.Column column, string typeName, ValueGetter<TColumn> read)
    {
        if (!IsColumnActive(column))
            throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was created.");
        if (typeof(TValue) != typeof(TColumn))
            throw new InvalidOperationException($"Column '{column.Name}' is {typeName}, not {typeof(TValue)}.");
        ValueGetter<TColumn> checkedRead = (ref TColumn value) =>
        {
            EnsureOnRow();
            read(ref value);
        };
        return (ValueGetter<TValue>)(Delegate)checkedRead;
    }

    private void EnsureOnRow()
    {
        if (_position < 0 || _done)
            throw new InvalidOperationException("The cursor is not positioned on a row.");
    }
}
