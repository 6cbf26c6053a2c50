using AutoLoss.ML.Export;
using Microsoft.ML;
using Onnx;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Scoring;

/// <summary>The columns a binary model appends, shaped like ML.NET's own calibrated binary trainers:
/// <c>Score</c> (Single, the margin log p_1 - log p_0 of the two-class student), <c>Probability</c>
/// (Single, p_1) and <c>PredictedLabel</c> (Boolean, Score &gt; 0, i.e. p_1 &gt; 1/2).</summary>
internal sealed class BinaryOutputColumns : IOutputColumns
{
    public const string Score = "Score";
    public const string Probability = "Probability";
    public const string PredictedLabel = "PredictedLabel";

    /// <summary>Smallest probability the margin's logarithms see, so a saturated student still gives a finite Score.</summary>
    private const float Floor = 1e-30f;

    public static BinaryOutputColumns Instance { get; } = new();

    /// <inheritdoc />
    public DataViewSchema Append(DataViewSchema input)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input);
        builder.AddColumn(Score, NumberDataViewType.Single, Annotations("Score"));
        builder.AddColumn(Probability, NumberDataViewType.Single, Annotations("Probability"));
        builder.AddColumn(PredictedLabel, BooleanDataViewType.Instance, Annotations("PredictedLabel"));
        return builder.ToSchema();
    }

    private static DataViewSchema.Annotations Annotations(string valueKind)
    {
        var annotations = new DataViewSchema.Annotations.Builder();
        OutputAnnotations.AddText(annotations, OutputAnnotations.ScoreColumnKind, "BinaryClassification");
        OutputAnnotations.AddText(annotations, OutputAnnotations.ScoreValueKind, valueKind);
        return annotations.ToAnnotations();
    }

    /// <summary>The margin log p_1 - log p_0 of one row's two class probabilities.</summary>
    public static float Margin(ReadOnlySpan<float> probabilities) =>
        MathF.Log(MathF.Max(probabilities[1], Floor)) - MathF.Log(MathF.Max(probabilities[0], Floor));

    /// <inheritdoc />
    /// <remarks>Output 0 is Score, 1 is Probability, 2 is PredictedLabel.</remarks>
    public ValueGetter<TValue> Getter<TValue>(int outputIndex, RowOutputs probabilities)
    {
        Delegate getter = outputIndex switch
        {
            0 => (ValueGetter<float>)((ref float dst) => dst = Margin(probabilities())),
            1 => (ValueGetter<float>)((ref float dst) => dst = probabilities()[1]),
            _ => (ValueGetter<bool>)((ref bool dst) => dst = Margin(probabilities()) > 0),
        };
        return (ValueGetter<TValue>)getter;
    }

    /// <inheritdoc />
    public void WriteOnnx(OnnxGraphBuilder graph, string outputs)
    {
        string floor = graph.Floats("probability_floor", [Floor]);
        string LogOf(long column)
        {
            string p = graph.Node("Gather", [outputs, graph.Int64s($"class{column}", column)], $"p{column}", OnnxGraphBuilder.Int("axis", 1));
            return graph.Node("Log", [graph.Node("Max", [p, floor], $"p{column}_floored")], $"log_p{column}");
        }
        // Gather with a one-element index keeps a [N, 1] column; Flatten's counterpart here is Reshape to [N].
        string margin = graph.Node("Sub", [LogOf(1), LogOf(0)], "margin");
        string flat = graph.Int64s("rows", -1);
        graph.Output(graph.Node("Reshape", [margin, flat], "score"), Score, TensorProto.Types.DataType.Float, "N");
        string p1 = graph.Node("Gather", [outputs, graph.Int64s("positive", 1)], "p1_column", OnnxGraphBuilder.Int("axis", 1));
        graph.Output(graph.Node("Reshape", [p1, flat], "probability"), Probability, TensorProto.Types.DataType.Float, "N");
        string positive = graph.Node("Greater", [margin, graph.Floats("zero", [0f])], "positive_margin");
        graph.Output(graph.Node("Reshape", [positive, flat], "predicted"), PredictedLabel, TensorProto.Types.DataType.Bool, "N");
    }
}
