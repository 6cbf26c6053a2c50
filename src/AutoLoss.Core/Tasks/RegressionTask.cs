using AutoLoss.Core.Metrics;
using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>A real number: the student has one output, labels are float32 targets, the score is the output itself.
/// Validation measures the mean squared error in label units.</summary>
public sealed class RegressionTask : TrainingTask
{
    private static readonly ValidationMetric[] RegressionMetrics = [MeanSquaredErrorMetric.Instance];

    internal RegressionTask()
    {
    }

    /// <inheritdoc />
    public override int OutputSize => 1;

    /// <inheritdoc />
    public override ScalarType LabelType => ScalarType.Float32;

    /// <inheritdoc />
    public override IReadOnlyList<ValidationMetric> Metrics => RegressionMetrics;

    /// <inheritdoc />
    public override string ValidationLossMetric => MetricNames.MeanSquaredError;

    /// <inheritdoc />
    public override string DefaultEarlyStoppingMetric => MetricNames.MeanSquaredError;

    /// <inheritdoc />
    public override IPerExampleLoss TaskLoss => SquaredErrorLoss.Instance;

    /// <inheritdoc />
    public override LossOptions CreateDefaultLoss() => LossOptions.SquaredError();

    /// <inheritdoc />
    public override Tensor Score(Tensor outputs) => outputs.squeeze(1);

    /// <inheritdoc />
    public override string ToString() => "regression";
}
