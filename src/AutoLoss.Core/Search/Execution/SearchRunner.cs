using System.Diagnostics;

namespace AutoLoss.Core.Search;

/// <summary>
/// The execution loop of a search: asks the strategy for candidates in rounds, evaluates each round's trials in parallel
/// under a budget, tells the strategy and the stopper the outcomes, and returns every trial with its result.
/// </summary>
/// <typeparam name="TCandidate">What is searched.</typeparam>
/// <remarks>
/// <para><b>Rounds.</b> The runner asks for up to <see cref="SearchRunnerOptions.TrialsPerRound"/> candidates, gives them
/// consecutive ids and seeds <see cref="TrialSeed.Derive"/>(search seed, id), and evaluates them with at most
/// <see cref="SearchBudget.MaxConcurrentTrials"/> running at once (each on the thread pool). When the whole round has
/// finished it calls <see cref="ISearchStrategy{TCandidate}.Tell"/> and <see cref="ITrialStopper.Observe"/> for each
/// trial in id order, then asks for the next round.</para>
/// <para><b>Reproducibility guarantee.</b> Given the same strategy state, options and search seed, and an evaluator whose
/// result and reported values depend only on the <see cref="Trial{TCandidate}"/>, the run's trials (ids, candidates,
/// seeds, statuses, metric values, intermediate values, measurements, error messages), its best trial, stop reason and
/// next trial id are identical for every <see cref="SearchBudget.MaxConcurrentTrials"/>: within a round nothing the
/// strategy or stopper knows changes, and between rounds they learn in id order. Only durations, the wall time and the
/// order of progress reports (completion order) vary. The guarantee does not hold when a wall-time limit or cancellation
/// cuts the run short, since where it is cut depends on timing.</para>
/// <para><b>Failures and stops.</b> An evaluator exception becomes a <see cref="TrialStatus.Failed"/> trial carrying the
/// exception's type and message, and the search goes on; so does an exception from
/// <see cref="ITrialStopper.ShouldStop"/>, which surfaces inside the reporting trial. Exceptions from the strategy, from
/// <see cref="ITrialStopper.Observe"/> or from the progress handler are bugs and end the run with that exception (after
/// the round's running evaluations have ended).</para>
/// <para><b>Cancellation.</b> Cancelling the token passed to <see cref="RunAsync"/>, like reaching the wall-time limit,
/// does not throw: running trials are cancelled through their token and recorded as <see cref="TrialStatus.Cancelled"/>
/// (as are trials of the round that had not started), and the run returns a result whose
/// <see cref="SearchResult{TCandidate}.StopReason"/> is <see cref="SearchStopReason.Cancelled"/> (or
/// <see cref="SearchStopReason.WallTimeReached"/>), keeping everything finished so far. It returns only after every
/// evaluation has ended, so no trial is left running; an evaluator that ignores its token delays the return.</para>
/// </remarks>
public sealed class SearchRunner<TCandidate>
{
    private readonly ISearchStrategy<TCandidate> _strategy;
    private readonly ITrialEvaluator<TCandidate> _evaluator;
    private readonly ITrialStopper _stopper;
    private readonly int _seed, _firstTrialId, _trialsPerRound, _maxTrials, _maxConcurrentTrials;
    private readonly TimeSpan? _maxWallTime;
    private int _started;

    /// <summary>A runner for one search run of <paramref name="strategy"/> scored by <paramref name="evaluator"/>. The
    /// options are validated and copied now; later changes to them have no effect.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="strategy"/> or <paramref name="evaluator"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is out of range; the message names it and the fix.</exception>
    public SearchRunner(ISearchStrategy<TCandidate> strategy, ITrialEvaluator<TCandidate> evaluator, SearchRunnerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentNullException.ThrowIfNull(evaluator);
        options ??= new SearchRunnerOptions();
        options.Validate();
        if (evaluator.Objective is null) throw new ArgumentException("The evaluator's Objective is null; an evaluator must name the metric it measures and its direction.", nameof(evaluator));
        _strategy = strategy;
        _evaluator = evaluator;
        _stopper = options.Stopper;
        _seed = options.Seed;
        _firstTrialId = options.FirstTrialId;
        _trialsPerRound = options.TrialsPerRound;
        _maxTrials = options.Budget.MaxTrials;
        _maxConcurrentTrials = options.Budget.MaxConcurrentTrials;
        _maxWallTime = options.Budget.MaxWallTime;
    }

    /// <summary>Runs the search until a budget limit is reached, the strategy runs out of candidates, or
    /// <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <param name="progress">Receives each trial as it finishes, from the thread that ran it, in completion order.</param>
    /// <param name="cancellationToken">Ends the search early; see the class remarks (no exception is thrown).</param>
    /// <exception cref="InvalidOperationException">The runner was already run (a runner runs once), or the strategy
    /// returned more candidates than asked.</exception>
    public async Task<SearchResult<TCandidate>> RunAsync(IProgress<FinishedTrial<TCandidate>>? progress = null, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
            throw new InvalidOperationException("This search runner has already run. Create a new one, with FirstTrialId set to the previous result's NextTrialId to continue the search.");

        var clock = Stopwatch.StartNew();
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Timers take at most about 24 days; a longer limit is still checked between rounds.
        if (_maxWallTime is { } wallTime && wallTime.TotalMilliseconds < int.MaxValue) budget.CancelAfter(wallTime);

        var finished = new List<FinishedTrial<TCandidate>>();
        int nextId = _firstTrialId;
        SearchStopReason reason;
        while (true)
        {
            if (cancellationToken.IsCancellationRequested) { reason = SearchStopReason.Cancelled; break; }
            if (budget.IsCancellationRequested || clock.Elapsed >= _maxWallTime) { reason = SearchStopReason.WallTimeReached; break; }
            int remaining = _maxTrials - finished.Count;
            if (remaining <= 0) { reason = SearchStopReason.MaxTrialsReached; break; }

            int requested = Math.Min(_trialsPerRound, remaining);
            var candidates = _strategy.Ask(requested)
                ?? throw new InvalidOperationException($"{_strategy.GetType().Name}.Ask returned null; return an empty list when there is nothing more to propose.");
            if (candidates.Count == 0) { reason = SearchStopReason.StrategyExhausted; break; }
            if (candidates.Count > requested)
                throw new InvalidOperationException($"{_strategy.GetType().Name}.Ask({requested}) returned {candidates.Count} candidates; a strategy may return at most the number asked for.");

            var trials = new Trial<TCandidate>[candidates.Count];
            for (int i = 0; i < trials.Length; i++, nextId++) trials[i] = new Trial<TCandidate>(nextId, candidates[i], TrialSeed.Derive(_seed, nextId));

            var results = await RunRoundAsync(trials, progress, budget.Token).ConfigureAwait(false);
            for (int i = 0; i < trials.Length; i++)
            {
                _strategy.Tell(trials[i], results[i]);
                _stopper.Observe(results[i]);
                finished.Add(new FinishedTrial<TCandidate>(trials[i], results[i]));
            }
        }

        return new SearchResult<TCandidate>
        {
            Objective = _evaluator.Objective,
            Trials = finished,
            StopReason = reason,
            Seed = _seed,
            NextTrialId = nextId,
            WallTime = clock.Elapsed,
        };
    }

    /// <summary>Evaluates one round with at most <see cref="SearchBudget.MaxConcurrentTrials"/> trials at once; each
    /// worker takes the next unstarted trial when it finishes one. Results are indexed like <paramref name="trials"/>.</summary>
    private async Task<TrialResult[]> RunRoundAsync(Trial<TCandidate>[] trials, IProgress<FinishedTrial<TCandidate>>? progress, CancellationToken token)
    {
        var results = new TrialResult[trials.Length];
        int next = -1;
        var workers = new Task[Math.Min(_maxConcurrentTrials, trials.Length)];
        for (int w = 0; w < workers.Length; w++)
        {
            workers[w] = Task.Run(async () =>
            {
                int index;
                while ((index = Interlocked.Increment(ref next)) < trials.Length)
                {
                    results[index] = await TrialExecution.RunAsync(trials[index], _evaluator, _stopper, token).ConfigureAwait(false);
                    progress?.Report(new FinishedTrial<TCandidate>(trials[index], results[index]));
                }
            }, CancellationToken.None);
        }
        await Task.WhenAll(workers).ConfigureAwait(false);
        return results;
    }
}
