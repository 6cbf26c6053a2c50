using System.Diagnostics;
using AutoLoss.Core.Search;
using Orleans.Runtime;

namespace AutoLoss.Orleans;

/// <summary>
/// Evaluates a search's trials on an Orleans cluster: each trial goes, as JSON, to a <see cref="ITrialWorkerGrain"/>
/// that scores it with the evaluator registered under <see cref="EvaluatorName"/> on the workers, and its result comes
/// back. Plug it into a <see cref="SearchRunner{TCandidate}"/> in place of the local evaluator; with seeded trials the
/// search's result does not depend on which worker ran which trial.
/// </summary>
/// <remarks>
/// <para><b>Faults.</b> An attempt that exceeds <see cref="OrleansTrialOptions.TrialTimeout"/>, or whose worker dies or
/// cannot be reached, is re-run on a new activation (placed on the least busy live silo), up to
/// <see cref="OrleansTrialOptions.MaxAttempts"/>. An exception thrown by the evaluator itself comes back as a failed
/// trial with its message and is not re-run: it would fail anywhere. An attempt given up (time-out, lost worker, or the
/// search cancelled) is cancelled on its worker too, through the grain call's token, so it stops training there.</para>
/// <para><b>Early stopping.</b> Intermediate values reach the search with the result, not while the trial runs, so a
/// stopper judges a trial only after it has finished.</para>
/// </remarks>
/// <typeparam name="TCandidate">What is searched; it must round-trip through <see cref="SearchJson"/>.</typeparam>
public sealed class OrleansTrialEvaluator<TCandidate> : ITrialEvaluator<TCandidate>
{
    private readonly IGrainFactory _grains;
    private readonly OrleansTrialOptions _options;
    // Grain keys of this evaluator's attempts: a random start, so searches sharing a cluster (each with its own
    // evaluator, trial ids from 0) never address the same activation, where one trial would queue behind another.
    private readonly long _firstKey = Random.Shared.NextInt64();
    private long _attempts;
    private int _retries;

    /// <summary>An evaluator sending trials to the workers' evaluator <paramref name="evaluatorName"/>.</summary>
    /// <param name="grains">The cluster client (or any grain factory).</param>
    /// <param name="evaluatorName">The name the workers registered the evaluator under.</param>
    /// <param name="objective">The metric that evaluator measures (the same as the local evaluator's Objective).</param>
    /// <param name="options">Time-out and re-run settings; defaults when null.</param>
    /// <exception cref="ArgumentException">The name is empty or an option is out of range.</exception>
    public OrleansTrialEvaluator(IGrainFactory grains, string evaluatorName, SearchObjective objective, OrleansTrialOptions? options = null)
    {
        _grains = grains ?? throw new ArgumentNullException(nameof(grains));
        ArgumentException.ThrowIfNullOrWhiteSpace(evaluatorName);
        Objective = objective ?? throw new ArgumentNullException(nameof(objective));
        _options = options ?? new OrleansTrialOptions();
        _options.Validate();
        EvaluatorName = evaluatorName;
    }

    /// <summary>The workers' evaluator this one sends trials to.</summary>
    public string EvaluatorName { get; }

    /// <inheritdoc />
    public SearchObjective Objective { get; }

    /// <summary>Attempts that were re-run after a time-out or a lost worker, since this evaluator was created.</summary>
    public int Retries => Volatile.Read(ref _retries);

    /// <summary>Called after each successful attempt with the trial id, the worker and the seconds the evaluation took
    /// there and end to end (their difference is the cluster's overhead).</summary>
    public event Action<int, string, double, double>? Evaluated;

    /// <inheritdoc />
    public async Task<TrialResult> EvaluateAsync(Trial<TCandidate> trial, ITrialReporter reporter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var request = new TrialRequest(EvaluatorName, trial.Id, trial.Seed, SearchJson.Serialize(trial.Candidate));
        for (int attempt = 1; ; attempt++)
        {
            // A key per attempt: a fresh activation, placed anew, so a re-run does not queue behind a hung one.
            var worker = _grains.GetGrain<ITrialWorkerGrain>(unchecked(_firstKey + Interlocked.Increment(ref _attempts)));
            // Cancelled when this attempt is given up (time-out, lost worker) or the search is cancelled: Orleans carries
            // it to the worker, so an abandoned trial does not keep training there.
            using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var clock = Stopwatch.StartNew();
            bool answered = false;
            try
            {
                var reply = await worker.EvaluateAsync(request, abandon.Token).WaitAsync(_options.TrialTimeout, cancellationToken).ConfigureAwait(false);
                answered = true;
                Evaluated?.Invoke(trial.Id, reply.Worker, reply.EvaluationSeconds, clock.Elapsed.TotalSeconds);
                return SearchJson.Deserialize<TrialResult>(reply.ResultJson);
            }
            catch (Exception e) when (IsWorkerFault(e) && !cancellationToken.IsCancellationRequested)
            {
                if (attempt >= _options.MaxAttempts)
                    throw new TimeoutException($"Trial {trial.Id} failed on {attempt} worker attempts (last: {e.GetType().Name}: {e.Message}); raise OrleansTrialOptions.TrialTimeout or MaxAttempts, or check the workers.", e);
                Interlocked.Increment(ref _retries);
            }
            finally
            {
                // Explicitly, not only through the link: a cancelled search can resume this method (and dispose the
                // link) before the search's token has reached the linked source.
                if (!answered) await abandon.CancelAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Faults of the cluster rather than of the trial: time-outs, dead or unreachable silos.</summary>
    private static bool IsWorkerFault(Exception e) =>
        // SiloUnavailableException, OrleansMessageRejectionException and the other Orleans runtime faults derive from OrleansException.
        e is TimeoutException or OrleansException or global::Orleans.Runtime.Messaging.ConnectionFailedException;
}
