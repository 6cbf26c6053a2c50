using static TorchSharp.torch;

namespace AutoLoss.Core.Metrics;

/// <summary>Validation log-loss of a classifier, mean -log p_y with p = softmax of the outputs.</summary>
public sealed class LogLossMetric : ValidationMetric
{
    /// <summary>The shared instance.</summary>
    public static LogLossMetric Instance { get; } = new();

    /// <inheritdoc />
    public override string Name => MetricNames.LogLoss;

    /// <inheritdoc />
    public override bool HigherIsBetter => false;

    /// <inheritdoc />
    public override IMetricAccumulator Start(long rows) => new Accumulator(rows);

    /// <inheritdoc />
    public override string Format(double value) => $"validation log-loss {value:F4}";

    private sealed class Accumulator(long rows) : IMetricAccumulator
    {
        private double _sum;

        public void Add(Tensor outputs, Tensor labels, long firstRow)
        {
            ClassificationChecks.Require(outputs, labels, MetricNames.LogLoss);
            using var logp = nn.functional.log_softmax(outputs, 1);
            using var picked = logp.gather(1, labels.unsqueeze(1));
            using var sum = picked.sum();
            _sum -= sum.item<float>();
        }

        public double Result() => _sum / rows;
    }
}
