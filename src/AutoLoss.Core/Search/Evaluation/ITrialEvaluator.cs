namespace AutoLoss.Core.Search;

/// <summary>
/// Scores one candidate: trains a student with a candidate architecture or loss under a budget and measures the search
/// metric. Evaluators are where a search spends its time; strategies never see how a score was obtained.
/// </summary>
/// <typeparam name="TCandidate">What is searched.</typeparam>
/// <remarks>
/// <para>Contract the <see cref="SearchRunner{TCandidate}"/> relies on:</para>
/// <list type="bullet">
/// <item><description>Several trials are evaluated at once (up to <see cref="SearchBudget.MaxConcurrentTrials"/>), each on
/// the thread pool, so <see cref="EvaluateAsync"/> must not share mutable state between calls without locking.</description></item>
/// <item><description>All randomness comes from <see cref="Trial{TCandidate}.Seed"/>. Process-wide generators (e.g.
/// TorchSharp's <c>torch.random.manual_seed</c>) are shared by concurrent trials, so a reproducible evaluator uses its own
/// generator objects seeded from the trial.</description></item>
/// <item><description>The cancellation token is observed (or <see cref="ITrialReporter.Report"/> is called often, which
/// observes it); the runner waits for every evaluation to end before it returns.</description></item>
/// <item><description>Exceptions other than <see cref="TrialStoppedException"/> and cancellation become
/// <see cref="TrialStatus.Failed"/> results carrying the message; the search continues.</description></item>
/// </list>
/// </remarks>
public interface ITrialEvaluator<TCandidate>
{
    /// <summary>The metric this evaluator measures and its direction; the runner stamps it on every result.</summary>
    SearchObjective Objective { get; }

    /// <summary>Evaluates <paramref name="trial"/>, reporting intermediate values to <paramref name="reporter"/>.</summary>
    /// <returns>Usually <see cref="TrialResult.Completed"/>; the runner fills in ids, timing and the objective.</returns>
    Task<TrialResult> EvaluateAsync(Trial<TCandidate> trial, ITrialReporter reporter, CancellationToken cancellationToken);
}
