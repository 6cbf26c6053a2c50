namespace AutoLoss.Core.Search;

/// <summary>The runner's <see cref="ITrialReporter"/> for one trial: records intermediate values, observes the search's
/// cancellation and consults the stopper.</summary>
internal sealed class TrialReporter : ITrialReporter
{
    private readonly object _gate = new();
    private readonly List<IntermediateValue> _values = [];
    private readonly SearchObjective _objective;
    private readonly ITrialStopper _stopper;
    private readonly CancellationToken _cancellationToken;

    public TrialReporter(int trialId, SearchObjective objective, ITrialStopper stopper, CancellationToken cancellationToken)
    {
        TrialId = trialId;
        _objective = objective;
        _stopper = stopper;
        _cancellationToken = cancellationToken;
    }

    /// <inheritdoc />
    public int TrialId { get; }

    /// <summary>True once the stopper asked this trial to stop.</summary>
    public bool StopRequested { get; private set; }

    /// <inheritdoc />
    public IReadOnlyList<IntermediateValue> Reported
    {
        get { lock (_gate) return [.. _values]; }
    }

    /// <inheritdoc />
    public void Report(int step, double value)
    {
        IReadOnlyList<IntermediateValue> snapshot;
        lock (_gate)
        {
            if (StopRequested) throw new TrialStoppedException(TrialId, step);
            if (_values.Count > 0 && step <= _values[^1].Step)
                throw new ArgumentException($"Trial {TrialId} reported step {step} after step {_values[^1].Step}; report strictly increasing steps (e.g. the epoch number).", nameof(step));
            _values.Add(new IntermediateValue(step, value));
            snapshot = [.. _values];
        }
        _cancellationToken.ThrowIfCancellationRequested();
        if (_stopper.ShouldStop(TrialId, _objective, snapshot))
        {
            StopRequested = true;
            throw new TrialStoppedException(TrialId, step);
        }
    }
}
