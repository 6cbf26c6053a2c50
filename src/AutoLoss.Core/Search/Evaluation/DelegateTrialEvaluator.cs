namespace AutoLoss.Core.Search;

/// <summary>
/// An evaluator made from a function, for searches whose scoring fits in a lambda (synthetic objectives, a call into a
/// training routine) without writing a class.
/// </summary>
/// <typeparam name="TCandidate">What is searched.</typeparam>
public sealed class DelegateTrialEvaluator<TCandidate> : ITrialEvaluator<TCandidate>
{
    private readonly Func<Trial<TCandidate>, ITrialReporter, CancellationToken, Task<TrialResult>> _evaluate;

    /// <summary>An evaluator that awaits <paramref name="evaluate"/> for each trial.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public DelegateTrialEvaluator(SearchObjective objective, Func<Trial<TCandidate>, ITrialReporter, CancellationToken, Task<TrialResult>> evaluate)
    {
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(evaluate);
        Objective = objective;
        _evaluate = evaluate;
    }

    /// <summary>An evaluator that runs the synchronous <paramref name="evaluate"/> on the thread pool for each trial, so
    /// CPU-bound scoring (TorchSharp training) of several trials proceeds in parallel.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public DelegateTrialEvaluator(SearchObjective objective, Func<Trial<TCandidate>, ITrialReporter, CancellationToken, TrialResult> evaluate)
        : this(objective, WrapSynchronous(evaluate))
    {
    }

    /// <inheritdoc />
    public SearchObjective Objective { get; }

    /// <inheritdoc />
    public Task<TrialResult> EvaluateAsync(Trial<TCandidate> trial, ITrialReporter reporter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(reporter);
        return _evaluate(trial, reporter, cancellationToken);
    }

    private static Func<Trial<TCandidate>, ITrialReporter, CancellationToken, Task<TrialResult>> WrapSynchronous(
        Func<Trial<TCandidate>, ITrialReporter, CancellationToken, TrialResult> evaluate)
    {
        ArgumentNullException.ThrowIfNull(evaluate);
        return (trial, reporter, token) => Task.Run(() => evaluate(trial, reporter, token), token);
    }
}
