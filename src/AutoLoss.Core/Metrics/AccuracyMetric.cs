using static TorchSharp.torch;

namespace AutoLoss.Core.Metrics;

/// <summary>Validation accuracy of a classifier: the share of rows whose arg max of log-softmax is the label.</summary>
public sealed class AccuracyMetric : ValidationMetric
{
    /// <summary>The shared instance.</summary>
    public static AccuracyMetric Instance { get; } = new();

    /// <inheritdoc />
    public override string Name => MetricNames.Accuracy;

    /// <inheritdoc />
    public override bool HigherIsBetter => true;

    /// <inheritdoc />
    public override IMetricAccumulator Start(long rows) => new Accumulator(rows);

    /// <inheritdoc />
    public override string Format(double value) => $"validation accuracy {value:P2}";

    private sealed class Accumulator(long rows) : IMetricAccumulator
    {
        private double _correct;

        public void Add(Tensor outputs, Tensor labels, long firstRow)
        {
            ClassificationChecks.Require(outputs, labels, MetricNames.Accuracy);
            using var logp = nn.functional.log_softmax(outputs, 1);
            using var predicted = logp.argmax(1);
            using var hits = predicted.eq(labels);
            using var count = hits.sum();
            _correct += count.item<long>();
        }

        public double Result() => _correct / rows;
    }
}
