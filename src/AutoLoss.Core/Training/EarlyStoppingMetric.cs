namespace AutoLoss.Core.Training;

/// <summary>The validation metric early stopping watches.</summary>
public enum EarlyStoppingMetric
{
    /// <summary>Validation accuracy (higher is better).</summary>
    Accuracy,
    /// <summary>Validation log-loss, mean -log p_y (lower is better).</summary>
    LogLoss,
}
