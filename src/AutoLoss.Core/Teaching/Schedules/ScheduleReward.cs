namespace AutoLoss.Core.Teaching.Schedules;

/// <summary>The validation quantity whose improvement rewards a schedule controller (lower is better).</summary>
public enum ScheduleReward
{
    /// <summary>The task's loss on the validation rows: mean squared error for regression, log-loss for
    /// classification.</summary>
    ValidationLoss,

    /// <summary>Classification only: the expected error 1 - mean p_y on the validation rows, a smooth stand-in for the
    /// error rate. Unlike log-loss it does not reward ever more confident right answers, which a weight penalty
    /// (L1) trades away for fewer wrong ones.</summary>
    ExpectedError,
}
