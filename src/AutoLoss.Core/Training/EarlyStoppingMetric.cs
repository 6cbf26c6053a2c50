namespace AutoLoss.Core.Training;

/// <summary>The validation metric early stopping watches. Each task has its own:
/// <see cref="Accuracy"/> or <see cref="LogLoss"/> for classification (and
/// <see cref="AreaUnderPrecisionRecallCurve"/> for binary), <see cref="MeanSquaredError"/> for regression (see <see cref="TrainingSettings.RequireMetricFor"/>).</summary>
public enum EarlyStoppingMetric
{
    /// <summary>Validation accuracy (higher is better). Classification only.</summary>
    Accuracy,
    /// <summary>Validation log-loss, mean -log p_y (lower is better). Classification only.</summary>
    LogLoss,
    /// <summary>Validation mean squared error (lower is better). Regression only.</summary>
    MeanSquaredError,
    /// <summary>Validation area under the precision-recall curve (average precision of p_1, ties grouped:
    /// <see cref="Teaching.Ala.AlaMetric.AveragePrecision"/>; higher is better). Binary classification only.</summary>
    AreaUnderPrecisionRecallCurve,
}
