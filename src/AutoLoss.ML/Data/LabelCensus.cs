using Microsoft.ML;

namespace AutoLoss.ML.Data;

/// <summary>How many labelled rows some data (training or validation) has, for classification how many
/// per class, and for regression the labels' mean and spread; counted without reading features.</summary>
internal sealed class LabelCensus
{
    /// <summary>An empty census for <paramref name="classCount"/> classes (0 for regression).</summary>
    public LabelCensus(int classCount) => Counts = new long[classCount];

    /// <summary>Rows per 0-based class (empty for regression).</summary>
    public long[] Counts { get; }

    /// <summary>Rows with a label.</summary>
    public long Total { get; private set; }

    private double _mean, _squaredDeviations;

    /// <summary>Counts one row with label <paramref name="label"/> (see <see cref="LabelEncoding"/>).</summary>
    public void Add(double label)
    {
        Total++;
        if (Counts.Length > 0)
        {
            Counts[(int)label]++;
            return;
        }
        // Welford's update: stable for labels far from zero (e.g. prices around 1e6).
        double delta = label - _mean;
        _mean += delta / Total;
        _squaredDeviations += delta * (label - _mean);
    }

    /// <summary>The regression label's standardization from the counted rows.</summary>
    public LabelStandardization Standardization() => LabelStandardization.FromMoments(Total, _mean, _squaredDeviations);

    /// <summary>Throws when binary training data lacks one of the two classes: the student could only
    /// learn a constant.</summary>
    public void RequireBothBinaryClasses(string labelName)
    {
        if (Counts.Length == 2 && Total > 0 && (Counts[0] == 0 || Counts[1] == 0))
            throw new ArgumentException(
                $"Label column '{labelName}' of the training data is {(Counts[1] == 0 ? "false" : "true")} in every row; binary classification needs rows of both classes. " +
                "Check how the Boolean label was built (e.g. the ConvertType or Expression that defines the positive class).", "LabelColumnName");
    }

    /// <summary>Counts the labelled rows of <paramref name="data"/> that <paramref name="include"/> accepts
    /// (by position), reading only the label column (and checking it).</summary>
    public static LabelCensus Count(IDataView data, TrainingColumns columns, string dataName, Func<long, bool> include, CancellationToken token)
    {
        var census = new LabelCensus(columns.ClassCount);
        var labelOnly = columns with { Weight = null };
        using var cursor = new LabeledRowCursor(data, labelOnly, dataName, labelOnly: true);
        while (cursor.MoveNext())
        {
            if ((cursor.Position & 0xFFF) == 0) token.ThrowIfCancellationRequested();
            if (!include(cursor.Position)) continue;
            if (cursor.TryReadLabel(out double label)) census.Add(label);
        }
        return census;
    }

    /// <summary>Throws when a class present in <paramref name="training"/> has no validation row (never for regression).</summary>
    public void RequireClassesOf(LabelCensus training, string labelName)
    {
        var missing = Enumerable.Range(0, Counts.Length).Where(c => training.Counts[c] > 0 && Counts[c] == 0).ToList();
        if (missing.Count > 0)
            throw new ArgumentException(
                $"The validation data has no rows of class(es) {string.Join(", ", missing.Select(c => $"key {c + 1}"))} of label '{labelName}', " +
                "which the training data has. Raise ValidationFraction or pass a ValidationData set that covers every class.", "ValidationData");
    }
}
