using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Datasets;

/// <summary>
/// A read-only, lazy <see cref="IDataView"/> over the rows of a <see cref="ClickGenerator"/>: <c>Label</c> (bool), one
/// text column per field, then <c>Hard</c> (bool). A cursor draws its current row from (process, row seed, position)
/// when it moves, so the view holds no rows and any number of cursors can read it.
/// </summary>
internal sealed class ClickDataView : GeneratedDataView
{
    private readonly ClickGenerator _generator;
    private readonly int _rowSeed;

    public ClickDataView(ClickGenerator generator, long rowCount, int rowSeed) : base(rowCount, BuildSchema(generator))
    {
        (_generator, _rowSeed) = (generator, rowSeed);
    }

    private static DataViewSchema BuildSchema(ClickGenerator generator)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(ClickData.LabelColumn, BooleanDataViewType.Instance);
        for (int f = 0; f < generator.FieldCount; f++) builder.AddColumn(generator.Field(f).Name, TextDataViewType.Instance);
        builder.AddColumn(ClickData.HardColumn, BooleanDataViewType.Instance);
        return builder.ToSchema();
    }

    protected override GeneratedRowCursor CreateCursor(bool[] active) => new Cursor(this, active);

    private sealed class Cursor(ClickDataView view, bool[] active) : GeneratedRowCursor(view, active)
    {
        private readonly int[] _values = new int[view._generator.FieldCount];
        private bool _label, _hard;

        protected override void Generate(long row) => view._generator.Draw(view._rowSeed, row, _values, out _hard, out _, out _label);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            int index = column.Index;
            if (index == 0) return Getter<TValue, bool>(column, "bool", (ref bool value) => value = _label);
            if (index == Schema.Count - 1) return Getter<TValue, bool>(column, "bool", (ref bool value) => value = _hard);
            int field = index - 1;
            return Getter<TValue, ReadOnlyMemory<char>>(column, "text (ReadOnlyMemory<char>)",
                (ref ReadOnlyMemory<char> value) => value = view._generator.Text(field, _values[field]).AsMemory());
        }
    }
}
