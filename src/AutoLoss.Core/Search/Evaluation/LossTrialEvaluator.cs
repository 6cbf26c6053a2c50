using AutoLoss.Core.Training;

namespace AutoLoss.Core.Search;

/// <summary>
/// Scores a candidate loss (an expression, a parameter vector) by a short proxy training on each of several
/// <see cref="LossProxyTask"/>s with the loss the candidate describes, and returns the mean of the validation metric
/// (each run's value at the epoch it kept), with every task's value as a measurement. After each task the mean so far is
/// reported, so a stopper can end a hopeless candidate early. A candidate whose loss cannot be built (its factory
/// throws) or whose training fails becomes a failed trial; the search goes on.
/// </summary>
/// <typeparam name="TCandidate">What the search proposes.</typeparam>
public sealed class LossTrialEvaluator<TCandidate> : ITrialEvaluator<TCandidate>
{
    private readonly IReadOnlyList<LossProxyTask> _tasks;
    private readonly Func<TCandidate, LossOptions> _loss;

    /// <summary>An evaluator over <paramref name="tasks"/> measuring <paramref name="metricName"/> (default: the first
    /// task's early-stopping metric, e.g. accuracy).</summary>
    /// <exception cref="ArgumentException">No task, or a task does not measure the metric.</exception>
    public LossTrialEvaluator(IReadOnlyList<LossProxyTask> tasks, Func<TCandidate, LossOptions> loss, string? metricName = null)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        _loss = loss ?? throw new ArgumentNullException(nameof(loss));
        if (tasks.Count == 0) throw new ArgumentException("A loss search needs at least one proxy task.", nameof(tasks));
        var metric = tasks[0].Task.Metric(metricName ?? tasks[0].Task.DefaultEarlyStoppingMetric, nameof(metricName));
        foreach (var task in tasks) task.Task.Metric(metric.Name, nameof(tasks));
        _tasks = tasks.ToArray();
        MetricName = metric.Name;
        Objective = new SearchObjective(metric.Name, metric.HigherIsBetter);
    }

    /// <summary>The validation metric averaged over the tasks.</summary>
    public string MetricName { get; }

    /// <inheritdoc />
    public SearchObjective Objective { get; }

    /// <inheritdoc />
    public Task<TrialResult> EvaluateAsync(Trial<TCandidate> trial, ITrialReporter reporter, CancellationToken cancellationToken) =>
        Task.Run(() => Evaluate(trial, reporter, cancellationToken), cancellationToken);

    private TrialResult Evaluate(Trial<TCandidate> trial, ITrialReporter reporter, CancellationToken cancellationToken)
    {
        var loss = _loss(trial.Candidate) ?? throw new InvalidOperationException("The loss factory returned null.");
        var values = new Dictionary<string, double>();
        foreach (var task in _tasks)
        {
            var settings = task.Settings.Copy();
            settings.Seed = trial.Seed;
            settings.CancellationToken = cancellationToken;
            var outcome = StudentTrainer.Train(new TrainingProblem { Student = task.Student(), Task = task.Task, Train = task.Train, Validation = task.Validation, Loss = loss }, settings);
            using (outcome.Student)
            using (outcome.LearnedLoss)
                values[task.Name] = outcome.History[Math.Min(outcome.SelectedEpoch, outcome.History.Count - 1)].Validation[MetricName];
            if (!double.IsFinite(values[task.Name])) return TrialResult.Failed($"The loss gave a non-finite {MetricName} on {task.Name}.");
            reporter.Report(values.Count, values.Values.Average());
        }
        return TrialResult.Completed(values.Values.Average(), values);
    }
}
