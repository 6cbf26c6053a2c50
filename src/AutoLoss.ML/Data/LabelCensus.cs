using Microsoft.ML;

namespace AutoLoss.ML.Data;

/// <summary>Rows per class of some data (training or validation), counted without reading features.</summary>
internal sealed class LabelCensus
{
    public LabelCensus(int classCount) => Counts = new long[classCount];

    /// <summary>Rows per 0-based class.</summary>
    public long[] Counts { get; }

    /// <summary>Rows with a label.</summary>
    public long Total => Counts.Sum();

    /// <summary>Counts the labelled rows of <paramref name="data"/> that <paramref name="include"/> accepts
    /// (by position), reading only the label column.</summary>
    public static LabelCensus Count(IDataView data, TrainingColumns columns, string dataName, Func<long, bool> include, CancellationToken token)
    {
        var census = new LabelCensus(columns.ClassCount);
        var labelOnly = columns with { Weight = null };
        using var cursor = new LabeledRowCursor(data, labelOnly, dataName, labelOnly: true);
        while (cursor.MoveNext())
        {
            if ((cursor.Position & 0xFFF) == 0) token.ThrowIfCancellationRequested();
            if (!include(cursor.Position)) continue;
            long label = cursor.ReadLabel();
            if (label >= 0) census.Counts[label]++;
        }
        return census;
    }

    /// <summary>Throws when a class present in <paramref name="training"/> has no validation row.</summary>
    public void RequireClassesOf(LabelCensus training, string labelName)
    {
        var missing = Enumerable.Range(0, Counts.Length).Where(c => training.Counts[c] > 0 && Counts[c] == 0).ToList();
        if (missing.Count > 0)
            throw new ArgumentException(
                $"The validation data has no rows of class(es) {string.Join(", ", missing.Select(c => $"key {c + 1}"))} of label '{labelName}', " +
                "which the training data has. Raise ValidationFraction or pass a ValidationData set that covers every class.", "ValidationData");
    }
}
