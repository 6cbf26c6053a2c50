namespace AutoLoss.Core.Search;

/// <summary>How a trial ended.</summary>
public enum TrialStatus
{
    /// <summary>The evaluator finished and returned the trial's final metric value.</summary>
    Completed,

    /// <summary>The trial's stopper judged it hopeless from its intermediate values and ended it early; its metric value is
    /// the best intermediate value it reached.</summary>
    StoppedEarly,

    /// <summary>The evaluator threw or returned an unusable result; <see cref="TrialResult.ErrorMessage"/> says why.</summary>
    Failed,

    /// <summary>The search was cancelled or ran out of wall time before the trial finished (or started).</summary>
    Cancelled,
}
