using AutoLoss.ML.Export;
using AutoLoss.ML.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.NearestNeighbor;

/// <summary>The columns nearest-neighbour scoring appends, shaped as a multiclass model's (<see cref="MulticlassOutputColumns"/>):
/// <c>Score</c>, the C per-class similarities, and <c>PredictedLabel</c>, the key of the k nearest references' vote
/// (the scorer's last output).</summary>
internal sealed class NearestNeighborOutputColumns(int classCount, LabelKeyValues? keys) : IOutputColumns
{
    private readonly MulticlassOutputColumns _shape = new(classCount, keys);

    /// <inheritdoc />
    public DataViewSchema Append(DataViewSchema input) => _shape.Append(input);

    /// <inheritdoc />
    public ValueGetter<TValue> Getter<TValue>(int outputIndex, RowOutputs outputs)
    {
        if (outputIndex == 0)
        {
            ValueGetter<VBuffer<float>> score = (ref VBuffer<float> dst) => MulticlassOutputColumns.Fill(outputs()[..classCount], ref dst);
            return (ValueGetter<TValue>)(Delegate)score;
        }
        ValueGetter<uint> predicted = (ref uint dst) => dst = (uint)outputs()[classCount] + 1;
        return (ValueGetter<TValue>)(Delegate)predicted;
    }

    /// <inheritdoc />
    public void WriteOnnx(OnnxGraphBuilder graph, string outputs) =>
        throw new NotSupportedException("Nearest-neighbour scoring has no ONNX form; export the embedding model and compare embeddings in the service.");
}
