namespace AutoLoss.Core.Teaching;

/// <summary>One epoch of training, as reported to teachers, progress callbacks and the log.</summary>
/// <param name="Epoch">Zero-based epoch.</param>
/// <param name="TrainLoss">Mean of the step losses the optimiser minimised in this epoch (for regression
/// on scaled targets, multiplied back to label units: see <c>TrainingProblem.TargetScale</c>).</param>
/// <param name="ValidationAccuracy">Accuracy on validation data, or null without validation data or for regression.</param>
/// <param name="ValidationLogLoss">Mean -log p_y on validation data, or null without validation data or for regression.</param>
/// <param name="LearningRate">Learning rate used in this epoch.</param>
/// <param name="Elapsed">Wall time since training started.</param>
public sealed record EpochSummary(int Epoch, double TrainLoss, double? ValidationAccuracy, double? ValidationLogLoss, double LearningRate, TimeSpan Elapsed)
{
    /// <summary>Mean squared error on validation data of a regression student, in label units, or
    /// null without validation data or for classification.</summary>
    public double? ValidationMeanSquaredError { get; init; }

    /// <summary>Area under the precision-recall curve on validation data of a binary student (average
    /// precision of p_1, <see cref="Ala.AlaMetric.AveragePrecision"/>), or null without validation data or for other tasks.</summary>
    public double? ValidationAreaUnderPrecisionRecallCurve { get; init; }

    /// <summary>The task's validation loss, whatever the task (lower is better): log-loss for
    /// classification, mean squared error for regression; null without validation data.</summary>
    public double? ValidationLoss => ValidationLogLoss ?? ValidationMeanSquaredError;

    /// <summary>One-line description used for log messages.</summary>
    public override string ToString() =>
        $"epoch {Epoch + 1}: train loss {TrainLoss:F4}" +
        (ValidationAccuracy is { } acc ? $", validation accuracy {acc:P2}, validation log-loss {ValidationLogLoss:F4}" : "") +
        (ValidationAreaUnderPrecisionRecallCurve is { } auprc ? $", validation AUCPR {auprc:F4}" : "") +
        (ValidationMeanSquaredError is { } mse ? $", validation MSE {mse:G5}" : "") +
        $", lr {LearningRate:G3}, elapsed {Elapsed.TotalSeconds:F1}s";
}
