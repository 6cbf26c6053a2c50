namespace AutoLoss.Core.Search;

/// <summary>
/// The outcome of one trial as a plain, JSON-serialisable description (see <see cref="SearchJson"/>), so results can come
/// back from evaluators on other machines and a finished search can be stored and inspected.
/// </summary>
/// <remarks>
/// An evaluator usually returns <see cref="Completed"/> or <see cref="Failed"/> and leaves the rest to the
/// <see cref="SearchRunner{TCandidate}"/>, which fills in <see cref="TrialId"/>, <see cref="Duration"/>, the metric's
/// name and direction (from the evaluator's <see cref="ITrialEvaluator{TCandidate}.Objective"/>) and, when the evaluator
/// gave none, the <see cref="IntermediateValues"/> it reported.
/// </remarks>
public sealed record TrialResult
{
    /// <summary>The id of the <see cref="Trial{TCandidate}"/> this result belongs to.</summary>
    public int TrialId { get; init; }

    /// <summary>How the trial ended.</summary>
    public TrialStatus Status { get; init; }

    /// <summary>The final value of the search metric; <see cref="double.NaN"/> when the trial produced none (failed or
    /// cancelled). For a trial stopped early it is the best intermediate value reached.</summary>
    public double MetricValue { get; init; } = double.NaN;

    /// <summary>Name of the metric <see cref="MetricValue"/> and <see cref="IntermediateValues"/> measure.</summary>
    public string MetricName { get; init; } = "";

    /// <summary>True when larger metric values are better (accuracy), false when smaller are (error, loss).</summary>
    public bool HigherIsBetter { get; init; }

    /// <summary>The metric's values reported during the evaluation, in increasing step order.</summary>
    public IReadOnlyList<IntermediateValue> IntermediateValues { get; init; } = [];

    /// <summary>Why the trial failed or was cancelled; null when it completed or was stopped early.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>Wall-clock time the evaluation took.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Other numbers measured for the trial that are not the search metric, such as the student's parameter
    /// count or training time per epoch, by name.</summary>
    public IReadOnlyDictionary<string, double> Measurements { get; init; } = new Dictionary<string, double>();

    /// <summary>A completed trial's result: its final metric value and optional other measurements.</summary>
    public static TrialResult Completed(double metricValue, IReadOnlyDictionary<string, double>? measurements = null) => new()
    {
        Status = TrialStatus.Completed,
        MetricValue = metricValue,
        Measurements = measurements ?? new Dictionary<string, double>(),
    };

    /// <summary>A failed trial's result carrying <paramref name="errorMessage"/>, for evaluators that detect an unusable
    /// candidate without throwing.</summary>
    public static TrialResult Failed(string errorMessage) => new() { Status = TrialStatus.Failed, ErrorMessage = errorMessage };
}
