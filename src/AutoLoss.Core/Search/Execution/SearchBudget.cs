namespace AutoLoss.Core.Search;

/// <summary>
/// Limits on what a search may spend: how many trials, how much wall-clock time, and how many trials at once. The search
/// ends at whichever limit is reached first.
/// </summary>
public sealed class SearchBudget
{
    /// <summary>Default of <see cref="MaxTrials"/>.</summary>
    public const int DefaultMaxTrials = 100;

    /// <summary>Default of <see cref="MaxConcurrentTrials"/>: one trial per processor (at least one).</summary>
    public static int DefaultMaxConcurrentTrials => Math.Max(1, Environment.ProcessorCount);

    /// <summary>Most trials this run evaluates, whatever their status.</summary>
    public int MaxTrials { get; set; } = DefaultMaxTrials;

    /// <summary>Longest the run may take; when it elapses, running trials are cancelled and recorded as
    /// <see cref="TrialStatus.Cancelled"/>. Null for no time limit.</summary>
    public TimeSpan? MaxWallTime { get; set; }

    /// <summary>Most trials evaluated at the same time. Does not change results (see
    /// <see cref="SearchRunner{TCandidate}"/>), only how fast they arrive.</summary>
    public int MaxConcurrentTrials { get; set; } = DefaultMaxConcurrentTrials;

    /// <summary>Checks every limit, naming the offending one and its fix.</summary>
    /// <exception cref="ArgumentException">A limit is out of range.</exception>
    public void Validate()
    {
        if (MaxTrials < 1)
            throw new ArgumentException($"SearchBudget.MaxTrials is {MaxTrials}; set it to at least 1 (default {DefaultMaxTrials}).");
        if (MaxWallTime is { } wallTime && wallTime <= TimeSpan.Zero)
            throw new ArgumentException($"SearchBudget.MaxWallTime is {wallTime}; set it to a positive time, or to null for no time limit.");
        if (MaxConcurrentTrials < 1)
            throw new ArgumentException($"SearchBudget.MaxConcurrentTrials is {MaxConcurrentTrials}; set it to at least 1 (default: the processor count, {DefaultMaxConcurrentTrials}).");
    }
}
