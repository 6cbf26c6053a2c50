using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Datasets;

/// <summary>Turns rows of a class with a <c>float[] Features</c> property into an IDataView whose Features column is
/// a known-size vector (what the trainers need), shared by the generated datasets.</summary>
internal static class VectorRows
{
    public static IDataView View<TRow>(MLContext ml, int features, IEnumerable<TRow> rows) where TRow : class
    {
        var schema = SchemaDefinition.Create(typeof(TRow));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features);
        return ml.Data.LoadFromEnumerable(rows.ToList(), schema);
    }
}
