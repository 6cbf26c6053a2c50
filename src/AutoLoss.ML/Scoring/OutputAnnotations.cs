using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Scoring;

/// <summary>The text annotations ML.NET's trainers put on their output columns (their names are
/// internal to ML.NET), which evaluators use to find score columns.</summary>
internal static class OutputAnnotations
{
    public const string ScoreColumnKind = "ScoreColumnKind";
    public const string ScoreValueKind = "ScoreValueKind";

    public static void AddText(DataViewSchema.Annotations.Builder builder, string name, string value)
    {
        var memory = value.AsMemory();
        builder.Add(name, TextDataViewType.Instance, (ref ReadOnlyMemory<char> dst) => dst = memory);
    }
}
