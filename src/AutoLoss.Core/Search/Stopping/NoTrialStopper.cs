namespace AutoLoss.Core.Search;

/// <summary>A stopper that lets every trial run to the end: the default when no early-stopping rule is wanted.</summary>
public sealed class NoTrialStopper : ITrialStopper
{
    /// <summary>The shared instance (the stopper has no state).</summary>
    public static NoTrialStopper Instance { get; } = new();

    /// <summary>Always false.</summary>
    public bool ShouldStop(int trialId, SearchObjective objective, IReadOnlyList<IntermediateValue> reported) => false;

    /// <summary>Does nothing.</summary>
    public void Observe(TrialResult result)
    {
    }
}
