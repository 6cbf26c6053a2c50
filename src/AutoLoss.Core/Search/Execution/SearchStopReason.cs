namespace AutoLoss.Core.Search;

/// <summary>Why a search ended.</summary>
public enum SearchStopReason
{
    /// <summary><see cref="SearchBudget.MaxTrials"/> trials were run.</summary>
    MaxTrialsReached,

    /// <summary><see cref="SearchBudget.MaxWallTime"/> elapsed; trials still running were cancelled.</summary>
    WallTimeReached,

    /// <summary>The strategy had no more candidates to propose.</summary>
    StrategyExhausted,

    /// <summary>The caller's cancellation token was cancelled; trials still running were cancelled.</summary>
    Cancelled,
}
