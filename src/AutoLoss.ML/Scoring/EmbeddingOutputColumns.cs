using AutoLoss.ML.Export;
using Microsoft.ML;
using Microsoft.ML.Data;
using Onnx;

namespace AutoLoss.ML.Scoring;

/// <summary>The column an embedding model appends: <c>Embedding</c>, a vector of <paramref name="size"/> Singles
/// holding the row's L2-normalised embedding.</summary>
internal sealed class EmbeddingOutputColumns(int size) : IOutputColumns
{
    public const string Embedding = "Embedding";

    /// <inheritdoc />
    public DataViewSchema Append(DataViewSchema input)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input);
        builder.AddColumn(Embedding, new VectorDataViewType(NumberDataViewType.Single, size));
        return builder.ToSchema();
    }

    /// <inheritdoc />
    public ValueGetter<TValue> Getter<TValue>(int outputIndex, RowOutputs outputs)
    {
        ValueGetter<VBuffer<float>> embedding = (ref VBuffer<float> dst) => MulticlassOutputColumns.Fill(outputs(), ref dst);
        return (ValueGetter<TValue>)(Delegate)embedding;
    }

    /// <inheritdoc />
    public void WriteOnnx(OnnxGraphBuilder graph, string outputs) =>
        graph.Output(outputs, Embedding, TensorProto.Types.DataType.Float, "N", size.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
