namespace AutoLoss.Core.Search;

/// <summary>
/// The median stopping rule (Golovin et al., "Google Vizier", KDD 2017): a trial stops when its best intermediate value
/// so far is strictly worse than the median of the completed trials' values at the same step. Cheap, needs no model of
/// learning curves, and rarely stops a trial that would have won, because a winner is usually above the median early.
/// </summary>
/// <remarks>
/// <para>At the trial's latest step k (only when k is at least <see cref="MinimumStep"/>), each completed trial
/// contributes its last reported value at a step no later than k (ignored if NaN or if it reported nothing that early).
/// With fewer than <see cref="WarmUpTrials"/> contributions the trial continues. Directions come from the
/// <see cref="SearchObjective"/>. A trial whose values so far are all NaN (diverged) is worse than any median.</para>
/// <para>Only <see cref="TrialStatus.Completed"/> trials are used as references: stopped trials' curves are cut short and
/// would pull the median down. Thread-safe.</para>
/// </remarks>
public sealed class MedianTrialStopper : ITrialStopper
{
    /// <summary>Default of <see cref="WarmUpTrials"/>.</summary>
    public const int DefaultWarmUpTrials = 3;

    /// <summary>Default of <see cref="MinimumStep"/>.</summary>
    public const int DefaultMinimumStep = 1;

    private readonly object _gate = new();
    private readonly List<IntermediateValue[]> _completedCurves = [];

    /// <summary>A median stopping rule that waits for <paramref name="warmUpTrials"/> completed references and for step
    /// <paramref name="minimumStep"/> before stopping anything.</summary>
    /// <exception cref="ArgumentException"><paramref name="warmUpTrials"/> is below 1 or <paramref name="minimumStep"/> is negative.</exception>
    public MedianTrialStopper(int warmUpTrials = DefaultWarmUpTrials, int minimumStep = DefaultMinimumStep)
    {
        if (warmUpTrials < 1)
            throw new ArgumentException($"warmUpTrials is {warmUpTrials}; it must be at least 1 (default {DefaultWarmUpTrials}): a median needs completed trials to compare with.", nameof(warmUpTrials));
        if (minimumStep < 0)
            throw new ArgumentException($"minimumStep is {minimumStep}; it must be zero or more (default {DefaultMinimumStep}).", nameof(minimumStep));
        WarmUpTrials = warmUpTrials;
        MinimumStep = minimumStep;
    }

    /// <summary>How many completed trials must have reported at or before a step before a trial can be stopped there.</summary>
    public int WarmUpTrials { get; }

    /// <summary>The first step at which a trial can be stopped; earlier values are too noisy to judge.</summary>
    public int MinimumStep { get; }

    /// <summary>Completed trials observed so far (the reference set).</summary>
    public int CompletedTrials
    {
        get { lock (_gate) return _completedCurves.Count; }
    }

    /// <inheritdoc />
    public bool ShouldStop(int trialId, SearchObjective objective, IReadOnlyList<IntermediateValue> reported)
    {
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(reported);
        if (reported.Count == 0) return false;
        int step = reported[^1].Step;
        if (step < MinimumStep) return false;

        var references = new List<double>();
        lock (_gate)
        {
            foreach (var curve in _completedCurves)
            {
                double value = ValueAtOrBefore(curve, step);
                if (!double.IsNaN(value)) references.Add(value);
            }
        }
        if (references.Count < WarmUpTrials) return false;

        double median = Median(references);
        double best = objective.Best(reported.Select(point => point.Value));
        return objective.IsBetter(median, best);
    }

    /// <inheritdoc />
    public void Observe(TrialResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Status != TrialStatus.Completed || result.IntermediateValues.Count == 0) return;
        var curve = result.IntermediateValues.OrderBy(point => point.Step).ToArray();
        lock (_gate) _completedCurves.Add(curve);
    }

    /// <summary>The value last reported at a step no later than <paramref name="step"/>; NaN when none.</summary>
    private static double ValueAtOrBefore(IntermediateValue[] curve, int step)
    {
        int low = 0, high = curve.Length - 1, found = -1;
        while (low <= high)
        {
            int middle = (low + high) / 2;
            if (curve[middle].Step <= step) { found = middle; low = middle + 1; }
            else high = middle - 1;
        }
        return found < 0 ? double.NaN : curve[found].Value;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        int middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
