using AutoLoss.ML.Export;
using Microsoft.ML;
using Onnx;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Scoring;

/// <summary>The column a regression model appends, shaped like ML.NET's own regression trainers:
/// <c>Score</c>, a Single holding the prediction.</summary>
internal sealed class RegressionOutputColumns : IOutputColumns
{
    public const string Score = "Score";

    public static RegressionOutputColumns Instance { get; } = new();

    /// <inheritdoc />
    public DataViewSchema Append(DataViewSchema input)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input);
        var annotations = new DataViewSchema.Annotations.Builder();
        OutputAnnotations.AddText(annotations, OutputAnnotations.ScoreColumnKind, "Regression");
        OutputAnnotations.AddText(annotations, OutputAnnotations.ScoreValueKind, "Score");
        builder.AddColumn(Score, NumberDataViewType.Single, annotations.ToAnnotations());
        return builder.ToSchema();
    }

    /// <inheritdoc />
    public ValueGetter<TValue> Getter<TValue>(int outputIndex, RowOutputs outputs)
    {
        ValueGetter<float> score = (ref float dst) => dst = outputs()[0];
        return (ValueGetter<TValue>)(Delegate)score;
    }

    /// <inheritdoc />
    public void WriteOnnx(OnnxGraphBuilder graph, string outputs) =>
        graph.Output(outputs, Score, TensorProto.Types.DataType.Float, "N");
}
