namespace AutoLoss.Core.Search;

/// <summary>
/// Thrown by <see cref="ITrialReporter.Report"/> when the search's stopper ends a trial early. Evaluators let it
/// propagate; the <see cref="SearchRunner{TCandidate}"/> catches it and records the trial as
/// <see cref="TrialStatus.StoppedEarly"/>.
/// </summary>
public sealed class TrialStoppedException : Exception
{
    /// <summary>Signals that trial <paramref name="trialId"/> was stopped after reporting <paramref name="step"/>.</summary>
    public TrialStoppedException(int trialId, int step)
        : base($"Trial {trialId} was stopped early at step {step}: its intermediate values are worse than the stopping rule accepts.")
    {
        TrialId = trialId;
        Step = step;
    }

    /// <summary>The stopped trial's id.</summary>
    public int TrialId { get; }

    /// <summary>The step whose report led to the stop.</summary>
    public int Step { get; }
}
