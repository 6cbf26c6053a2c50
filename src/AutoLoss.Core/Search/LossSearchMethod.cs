using AutoLoss.Core.Search;

namespace AutoLoss;

/// <summary>
/// A search for a loss function: <see cref="AutoLossZeroSearch"/> (expression trees)
/// or <see cref="TaylorLossSearch"/> (Taylor polynomials by CMA-ES). It scores candidates by
/// proxy training runs on the given tasks (<see cref="LossTrialEvaluator{TCandidate}"/>) under the runner's budget and
/// returns the best loss as a <see cref="SearchedLoss"/>. A new search method is a new subclass.
/// </summary>
public abstract class LossSearchMethod
{
    /// <summary>Runs the search.</summary>
    /// <param name="tasks">The proxy tasks (fitness: their validation metric, averaged).</param>
    /// <param name="runner">Budget, seed, round size and stopper.</param>
    /// <param name="progress">Receives each trial as it finishes.</param>
    /// <param name="cancellationToken">Ends the search early; the best loss so far is returned.</param>
    /// <exception cref="ArgumentException">A setting does not fit the tasks.</exception>
    /// <exception cref="InvalidOperationException">No candidate completed its training runs.</exception>
    public abstract Task<SearchedLoss> SearchAsync(IReadOnlyList<LossProxyTask> tasks, SearchRunnerOptions runner, IProgress<LossSearchTrial>? progress = null,
        CancellationToken cancellationToken = default);

    /// <summary>Turns the runner's progress for candidates of <typeparamref name="T"/> into <see cref="LossSearchTrial"/>s.</summary>
    private protected static IProgress<FinishedTrial<T>>? Report<T>(IProgress<LossSearchTrial>? progress, Func<T, string> describe) =>
        progress is null ? null : new SynchronousProgress<FinishedTrial<T>>(value =>
            progress.Report(new LossSearchTrial(value.Trial.Id, describe(value.Trial.Candidate), value.Result.Status, value.Result.MetricValue, value.Result.Duration)));
}

/// <summary>A finished trial of a loss search: the candidate as text, how it ended, its fitness and how long it took.</summary>
public sealed record LossSearchTrial(int Id, string Candidate, TrialStatus Status, double Fitness, TimeSpan Duration);
