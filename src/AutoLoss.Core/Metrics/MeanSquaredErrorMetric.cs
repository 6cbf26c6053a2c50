using static TorchSharp.torch;

namespace AutoLoss.Core.Metrics;

/// <summary>Validation mean squared error of a one-output regressor, mean (f_w(x) - y)^2, reported in label units.</summary>
public sealed class MeanSquaredErrorMetric : ValidationMetric
{
    /// <summary>The shared instance.</summary>
    public static MeanSquaredErrorMetric Instance { get; } = new();

    /// <inheritdoc />
    public override string Name => MetricNames.MeanSquaredError;

    /// <inheritdoc />
    public override bool HigherIsBetter => false;

    /// <inheritdoc />
    public override bool IsSquaredTargetError => true;

    /// <inheritdoc />
    public override IMetricAccumulator Start(long rows) => new Accumulator(rows);

    /// <inheritdoc />
    public override string Format(double value) => $"validation MSE {value:G5}";

    private sealed class Accumulator(long rows) : IMetricAccumulator
    {
        private double _sum;

        public void Add(Tensor outputs, Tensor labels, long firstRow)
        {
            if (labels.dtype != ScalarType.Float32)
                throw new ArgumentException($"Mean squared error needs float32 targets; the validation labels are {labels.dtype}.", nameof(labels));
            using var perExample = SquaredErrorLoss.Instance.Compute(outputs, labels);
            using var wide = perExample.to_type(ScalarType.Float64);
            using var sum = wide.sum();
            _sum += sum.item<double>();
        }

        public double Result() => _sum / rows;
    }
}
