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
internal sealed class DenseDataView : GeneratedDataView
{
    public const string LabelColumn = "Label";
    public const string FeaturesColumn = "Features";

    private readonly int _featureCount;
    private readonly RowFiller _fill;

    public DenseDataView(long rowCount, int featureCount, RowFiller fill) : base(rowCount, BuildSchema(featureCount))
    {
        _featureCount = featureCount;
        _fill = fill;
    }

    private static DataViewSchema BuildSchema(int featureCount)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(LabelColumn, NumberDataViewType.Single);
        builder.AddColumn(FeaturesColumn, new VectorDataViewType(NumberDataViewType.Single, featureCount));
        return builder.ToSchema();
    }

    protected override GeneratedRowCursor CreateCursor(bool[] active) => new Cursor(this, active);

    private sealed class Cursor(DenseDataView view, bool[] active) : GeneratedRowCursor(view, active)
    {
        // Label-only passes leave the features out of the row.
        private readonly float[] _features = active[1] ? new float[view._featureCount] : [];
        private float _label;

        protected override void Generate(long row) => _label = view._fill(row, _features);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => column.Index == 0
            ? Getter<TValue, float>(column, "float", (ref float value) => value = _label)
            : Getter<TValue, VBuffer<float>>(column, "VBuffer<float>", (ref VBuffer<float> value) =>
            {
                var editor = VBufferEditor.Create(ref value, _features.Length);
                _features.CopyTo(editor.Values);
                value = editor.Commit();
            });
    }
}
