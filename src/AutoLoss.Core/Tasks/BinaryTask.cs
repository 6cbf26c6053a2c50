using AutoLoss.Core.Metrics;

namespace AutoLoss;

/// <summary>Two classes (negative 0, positive 1), trained as a two-class classifier with two logits, so every
/// classification loss applies unchanged. Validation also measures the area under the precision-recall curve.</summary>
public sealed class BinaryTask : ClassificationTask
{
    private static readonly ValidationMetric[] BinaryMetrics = [AccuracyMetric.Instance, LogLossMetric.Instance, AreaUnderPrecisionRecallCurveMetric.Instance];

    internal BinaryTask() : base(2)
    {
    }

    /// <inheritdoc />
    public override IReadOnlyList<ValidationMetric> Metrics => BinaryMetrics;

    /// <inheritdoc />
    public override string ToString() => "binary";
}
