namespace AutoLoss.Orleans;

/// <summary>How <see cref="OrleansTrialEvaluator{TCandidate}"/> treats workers that fail.</summary>
public sealed class OrleansTrialOptions
{
    /// <summary>Longest one attempt of a trial may take before it is given up and re-run on a fresh activation (a hung
    /// or overloaded worker). Default 1 hour; set it a few times above a trial's normal training time.</summary>
    public TimeSpan TrialTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Attempts per trial when workers time out or die (the trial's own errors are not retried). Default 3.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the setting out of range.</summary>
    public void Validate()
    {
        if (TrialTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(TrialTimeout), TrialTimeout, "TrialTimeout must be positive (default 1 hour).");
        if (MaxAttempts < 1) throw new ArgumentOutOfRangeException(nameof(MaxAttempts), MaxAttempts, "MaxAttempts must be at least 1 (default 3).");
    }
}
