using System.Globalization;
using AutoLoss.ML.Export;
using Microsoft.ML;
using Onnx;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Scoring;

/// <summary>The columns a multiclass model appends, shaped like ML.NET's own multiclass trainers:
/// <c>Score</c> (vector of C class probabilities, SlotNames = label key values) and
/// <c>PredictedLabel</c> (key with the label's KeyValues).</summary>
internal sealed class MulticlassOutputColumns(int classCount, LabelKeyValues? keys) : IOutputColumns
{
    public const string Score = "Score";
    public const string PredictedLabel = "PredictedLabel";

    /// <inheritdoc />
    public DataViewSchema Append(DataViewSchema input)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input);

        var scoreAnnotations = new DataViewSchema.Annotations.Builder();
        keys?.AddSlotNames(scoreAnnotations);
        OutputAnnotations.AddText(scoreAnnotations, OutputAnnotations.ScoreColumnKind, "MulticlassClassification");
        OutputAnnotations.AddText(scoreAnnotations, OutputAnnotations.ScoreValueKind, "Score");
        builder.AddColumn(Score, new VectorDataViewType(NumberDataViewType.Single, classCount), scoreAnnotations.ToAnnotations());

        var labelAnnotations = new DataViewSchema.Annotations.Builder();
        keys?.AddKeyValues(labelAnnotations);
        OutputAnnotations.AddText(labelAnnotations, OutputAnnotations.ScoreColumnKind, "MulticlassClassification");
        OutputAnnotations.AddText(labelAnnotations, OutputAnnotations.ScoreValueKind, "PredictedLabel");
        builder.AddColumn(PredictedLabel, new KeyDataViewType(typeof(uint), classCount), labelAnnotations.ToAnnotations());
        return builder.ToSchema();
    }

    /// <summary>Writes one row's outputs from its probabilities.</summary>
    /// <summary>The columns promised before fitting for a label of this shape: the shape comes from a concrete two-class
    /// schema (a SchemaShape records names, kinds and annotation presence, not the class count), with key values when the
    /// label has them.</summary>
    public static MulticlassOutputColumns PromisedFor(SchemaShape.Column label) =>
        new(2, label.Annotations.Any(a => a.Name == LabelKeyValues.KeyValuesKind) ? LabelKeyValues.FromSaved("text", ["a", "b"]) : null);

    public static void Fill(ReadOnlySpan<float> probabilities, ref VBuffer<float> score)
    {
        var editor = VBufferEditor.Create(ref score, probabilities.Length);
        probabilities.CopyTo(editor.Values);
        score = editor.Commit();
    }

    /// <summary>The predicted key (1-based) of one row's probabilities: the arg max.</summary>
    public static uint PredictedKey(ReadOnlySpan<float> probabilities)
    {
        int best = 0;
        for (int i = 1; i < probabilities.Length; i++)
            if (probabilities[i] > probabilities[best]) best = i;
        return (uint)best + 1;
    }

    /// <inheritdoc />
    /// <remarks>Output 0 is Score, 1 is PredictedLabel.</remarks>
    public ValueGetter<TValue> Getter<TValue>(int outputIndex, RowOutputs probabilities)
    {
        if (outputIndex == 0)
        {
            ValueGetter<VBuffer<float>> score = (ref VBuffer<float> dst) => Fill(probabilities(), ref dst);
            return (ValueGetter<TValue>)(Delegate)score;
        }
        ValueGetter<uint> predicted = (ref uint dst) => dst = PredictedKey(probabilities());
        return (ValueGetter<TValue>)(Delegate)predicted;
    }

    /// <inheritdoc />
    public void WriteOnnx(OnnxGraphBuilder graph, string outputs)
    {
        graph.Output(outputs, Score, TensorProto.Types.DataType.Float, "N", classCount.ToString(CultureInfo.InvariantCulture));
        // The key, 1-based as ML.NET's key-typed PredictedLabel (0 is its missing value), as int64.
        string index = graph.Node("ArgMax", [outputs], "class_index", OnnxGraphBuilder.Int("axis", 1), OnnxGraphBuilder.Int("keepdims", 0));
        graph.Output(graph.Node("Add", [index, graph.Int64s("key_offset", 1)], "key"), PredictedLabel, TensorProto.Types.DataType.Int64, "N");
        // The label's own value (what MapKeyToValue would give), as text, when the label had key values.
        if (keys is not null)
            graph.Output(graph.Node("Gather", [graph.Strings("label_values", keys.Values), index], "label_value", OnnxGraphBuilder.Int("axis", 0)),
                PredictedLabelValue, TensorProto.Types.DataType.String, "N");
    }

    /// <summary>The ONNX output holding the predicted label's value as text (the multiclass export only).</summary>
    public const string PredictedLabelValue = "PredictedLabelValue";
}
