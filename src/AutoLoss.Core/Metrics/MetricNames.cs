namespace AutoLoss;

/// <summary>Names of the built-in validation metrics (for <c>EarlyStoppingMetric</c>, <c>EpochSummary.Validation</c>
/// and searches). A task lists the ones it offers in <c>TrainingTask.Metrics</c>.</summary>
public static class MetricNames
{
    /// <summary>Fraction of rows whose most probable class is the label (higher is better). Classification.</summary>
    public const string Accuracy = "Accuracy";

    /// <summary>Mean -log p_y (lower is better). Classification.</summary>
    public const string LogLoss = "LogLoss";

    /// <summary>Area under the precision-recall curve: the average precision of the rows ranked by p_1 (higher is
    /// better). Binary classification.</summary>
    public const string AreaUnderPrecisionRecallCurve = "AreaUnderPrecisionRecallCurve";

    /// <summary>Mean (f_w(x) - y)^2 in label units (lower is better). Regression.</summary>
    public const string MeanSquaredError = "MeanSquaredError";

    /// <summary>Recall@1: the share of rows whose nearest other row (by embedding distance) has the same label (higher is
    /// better). Embedding tasks.</summary>
    public const string RecallAt1 = "RecallAt1";

    /// <summary>Mean average precision at R (Musgrave et al. 2020): for each row with R other rows of its label, the
    /// average precision of its R nearest rows (higher is better). Embedding tasks.</summary>
    public const string MeanAveragePrecisionAtR = "MeanAveragePrecisionAtR";

    /// <summary>1 - Recall@1 (lower is better): an embedding task's validation loss. Embedding tasks.</summary>
    public const string RetrievalError = "RetrievalError";
}
