using System.Text.Json.Serialization;

namespace AutoLoss.Core.Search;

/// <summary>
/// Everything a finished search run produced: every trial with its result in id order, why it stopped and how long it
/// took. JSON-serialisable with <see cref="SearchJson"/>, so a search can be archived, compared and continued.
/// </summary>
/// <typeparam name="TCandidate">What was searched.</typeparam>
public sealed record SearchResult<TCandidate>
{
    /// <summary>The metric the search optimised.</summary>
    public required SearchObjective Objective { get; init; }

    /// <summary>Every trial of the run, whatever its status, in increasing id order.</summary>
    public required IReadOnlyList<FinishedTrial<TCandidate>> Trials { get; init; }

    /// <summary>Why the run ended.</summary>
    public required SearchStopReason StopReason { get; init; }

    /// <summary>The search seed the trial seeds were derived from.</summary>
    public int Seed { get; init; }

    /// <summary>The id the next trial would have had; the <see cref="SearchRunnerOptions.FirstTrialId"/> of a run that
    /// continues this one.</summary>
    public int NextTrialId { get; init; }

    /// <summary>Wall-clock time of the run.</summary>
    public TimeSpan WallTime { get; init; }

    /// <summary>The best <see cref="TrialStatus.Completed"/> trial by the objective (lowest id among equals); null when no
    /// trial completed with a metric value. Stopped trials are not candidates: their values are from unfinished training.</summary>
    [JsonIgnore]
    public FinishedTrial<TCandidate>? Best
    {
        get
        {
            FinishedTrial<TCandidate>? best = null;
            foreach (var finished in Trials)
            {
                if (finished.Result.Status != TrialStatus.Completed) continue;
                if (Objective.IsBetter(finished.Result.MetricValue, best?.Result.MetricValue ?? double.NaN)) best = finished;
            }
            return best;
        }
    }

    /// <summary>How many trials ended with <paramref name="status"/>.</summary>
    public int Count(TrialStatus status) => Trials.Count(finished => finished.Result.Status == status);
}
