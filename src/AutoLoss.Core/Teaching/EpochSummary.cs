namespace AutoLoss;

/// <summary>One epoch of training, as reported to teachers, progress callbacks, searches and the log.</summary>
/// <param name="Epoch">Zero-based epoch.</param>
/// <param name="TrainLoss">Mean of the step losses the optimiser minimised in this epoch (for regression
/// on scaled targets, multiplied back to label units: see <c>TrainingProblem.TargetScale</c>).</param>
/// <param name="LearningRate">Learning rate used in this epoch.</param>
/// <param name="Elapsed">Wall time since training started.</param>
public sealed record EpochSummary(int Epoch, double TrainLoss, double LearningRate, TimeSpan Elapsed)
{
    private static readonly IReadOnlyDictionary<string, double> None = new Dictionary<string, double>();

    /// <summary>The task's validation metrics by name (<see cref="MetricNames"/>; squared errors in label units);
    /// empty without validation data.</summary>
    public IReadOnlyDictionary<string, double> Validation { get; init; } = None;

    /// <summary>The task's validation loss (lower is better: log-loss for classification, mean squared error for
    /// regression; <c>TrainingTask.ValidationLossMetric</c>); null without validation data.</summary>
    public double? ValidationLoss { get; init; }

    /// <summary>The validation metric called <paramref name="name"/>, or null when it was not measured.</summary>
    public double? ValidationMetric(string name) => Validation.TryGetValue(name, out var value) ? value : null;

    /// <summary>Validation accuracy of a classifier, or null.</summary>
    public double? ValidationAccuracy => ValidationMetric(MetricNames.Accuracy);

    /// <summary>Validation mean -log p_y of a classifier, or null.</summary>
    public double? ValidationLogLoss => ValidationMetric(MetricNames.LogLoss);

    /// <summary>Validation mean squared error of a regressor in label units, or null.</summary>
    public double? ValidationMeanSquaredError => ValidationMetric(MetricNames.MeanSquaredError);

    /// <summary>Validation area under the precision-recall curve of a binary classifier, or null.</summary>
    public double? ValidationAreaUnderPrecisionRecallCurve => ValidationMetric(MetricNames.AreaUnderPrecisionRecallCurve);

    /// <summary>The validation metrics as log lines show them, e.g. ", validation accuracy 96.10%".</summary>
    public string ValidationText { get; init; } = "";

    /// <summary>One-line description used for log messages.</summary>
    public override string ToString() =>
        $"epoch {Epoch + 1}: train loss {TrainLoss:F4}{ValidationText}, lr {LearningRate:G3}, elapsed {Elapsed.TotalSeconds:F1}s";
}
