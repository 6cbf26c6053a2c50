namespace AutoLoss.Core.Search;

/// <summary>
/// Decides, from a running trial's intermediate values, whether it is still worth its compute: the search's early-stopping
/// rule for hopeless candidates (NNI calls this an assessor).
/// </summary>
/// <remarks>
/// The <see cref="SearchRunner{TCandidate}"/> calls <see cref="ShouldStop"/> from several running trials at once, and
/// <see cref="Observe"/> only between rounds, once per finished trial in trial-id order. A stopper that decides only from
/// what it observed therefore makes the same decisions however many trials run at once. To continue a search with a new
/// stopper, <see cref="Observe"/> the earlier search's results first.
/// </remarks>
public interface ITrialStopper
{
    /// <summary>True when the trial whose values so far are <paramref name="reported"/> (in step order, the latest last)
    /// should stop now.</summary>
    bool ShouldStop(int trialId, SearchObjective objective, IReadOnlyList<IntermediateValue> reported);

    /// <summary>Learns from a finished trial of any status.</summary>
    void Observe(TrialResult result);
}
