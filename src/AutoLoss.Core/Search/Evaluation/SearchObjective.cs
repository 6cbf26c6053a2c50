namespace AutoLoss.Core.Search;

/// <summary>
/// The metric a search optimises: its name and whether larger values are better. Strategies, stoppers and the runner
/// compare trials only through <see cref="IsBetter"/>, so they work the same for errors and accuracies.
/// </summary>
public sealed record SearchObjective
{
    /// <summary>An objective on the metric named <paramref name="metricName"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="metricName"/> is empty.</exception>
    public SearchObjective(string metricName, bool higherIsBetter)
    {
        if (string.IsNullOrWhiteSpace(metricName))
            throw new ArgumentException("The objective's metric name is empty; name the metric the evaluator measures, e.g. \"ValidationError\".", nameof(metricName));
        MetricName = metricName;
        HigherIsBetter = higherIsBetter;
    }

    /// <summary>Name of the optimised metric, recorded in every <see cref="TrialResult"/>.</summary>
    public string MetricName { get; }

    /// <summary>True when larger metric values are better.</summary>
    public bool HigherIsBetter { get; }

    /// <summary>An objective that prefers small values of <paramref name="metricName"/> (errors, losses).</summary>
    public static SearchObjective Minimize(string metricName) => new(metricName, higherIsBetter: false);

    /// <summary>An objective that prefers large values of <paramref name="metricName"/> (accuracies, rewards).</summary>
    public static SearchObjective Maximize(string metricName) => new(metricName, higherIsBetter: true);

    /// <summary>True when <paramref name="value"/> is strictly better than <paramref name="reference"/>. NaN is never
    /// better than anything, and any other value is better than NaN.</summary>
    public bool IsBetter(double value, double reference)
    {
        if (double.IsNaN(value)) return false;
        if (double.IsNaN(reference)) return true;
        return HigherIsBetter ? value > reference : value < reference;
    }

    /// <summary>The best of <paramref name="values"/> (NaN values ignored); NaN when there is none.</summary>
    public double Best(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        double best = double.NaN;
        foreach (double value in values)
            if (IsBetter(value, best)) best = value;
        return best;
    }
}
