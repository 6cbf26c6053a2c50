using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Scoring;

/// <summary>The columns a multiclass model appends, shaped like ML.NET's own multiclass trainers:
/// <c>Score</c> (vector of C class probabilities, SlotNames = label key values) and
/// <c>PredictedLabel</c> (key with the label's KeyValues).</summary>
internal static class MulticlassOutputColumns
{
    public const string Score = "Score";
    public const string PredictedLabel = "PredictedLabel";

    /// <summary>The input schema followed by Score and PredictedLabel (hiding input columns of the same names).</summary>
    public static DataViewSchema Append(DataViewSchema input, int classCount, LabelKeyValues? keys)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input);

        var scoreAnnotations = new DataViewSchema.Annotations.Builder();
        keys?.AddSlotNames(scoreAnnotations);
        AddText(scoreAnnotations, "ScoreColumnKind", "MulticlassClassification");
        AddText(scoreAnnotations, "ScoreValueKind", "Score");
        builder.AddColumn(Score, new VectorDataViewType(NumberDataViewType.Single, classCount), scoreAnnotations.ToAnnotations());

        var labelAnnotations = new DataViewSchema.Annotations.Builder();
        keys?.AddKeyValues(labelAnnotations);
        AddText(labelAnnotations, "ScoreColumnKind", "MulticlassClassification");
        AddText(labelAnnotations, "ScoreValueKind", "PredictedLabel");
        builder.AddColumn(PredictedLabel, new KeyDataViewType(typeof(uint), classCount), labelAnnotations.ToAnnotations());
        return builder.ToSchema();
    }

    /// <summary>Writes one row's outputs from its probabilities.</summary>
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

    /// <summary>Supplies the current row's class probabilities.</summary>
    public delegate ReadOnlySpan<float> ProbabilitySource();

    /// <summary>Getter of output column <paramref name="outputIndex"/> (0 = Score, 1 = PredictedLabel)
    /// reading the current row's probabilities from <paramref name="probabilities"/>.</summary>
    public static ValueGetter<TValue> Getter<TValue>(int outputIndex, ProbabilitySource probabilities)
    {
        if (outputIndex == 0)
        {
            ValueGetter<VBuffer<float>> score = (ref VBuffer<float> dst) => Fill(probabilities(), ref dst);
            return (ValueGetter<TValue>)(Delegate)score;
        }
        ValueGetter<uint> predicted = (ref uint dst) => dst = PredictedKey(probabilities());
        return (ValueGetter<TValue>)(Delegate)predicted;
    }

    private static void AddText(DataViewSchema.Annotations.Builder builder, string name, string value)
    {
        var memory = value.AsMemory();
        builder.Add(name, TextDataViewType.Instance, (ref ReadOnlyMemory<char> dst) => dst = memory);
    }
}
