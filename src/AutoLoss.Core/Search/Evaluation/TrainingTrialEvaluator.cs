using AutoLoss.Core.Training;

namespace AutoLoss.Core.Search;

/// <summary>
/// Scores a candidate by training a student with the core loop (<see cref="StudentTrainer"/>): the caller turns a trial
/// into a <see cref="TrainingProblem"/> (an architecture, a loss, data) and its <see cref="TrainingSettings"/> (the budget:
/// epochs, batch, learning rate). After every epoch the task's validation metric <see cref="MetricName"/> is reported,
/// so a <see cref="ITrialStopper"/> can stop a hopeless trial; the result is the metric at the epoch the run kept, with
/// the student's parameter count and the epochs trained as measurements.
/// </summary>
/// <remarks>Trials are seeded with <see cref="Trial{TCandidate}.Seed"/> (settings' <c>Seed</c>), and the student's
/// initialisation is drawn under a process-wide lock, so concurrent trials initialise as they would alone. Dropout draws
/// from TorchSharp's shared generator during training: a student with dropout is reproducible only when trials run one
/// at a time (<see cref="SearchBudget.MaxConcurrentTrials"/> = 1).</remarks>
/// <typeparam name="TCandidate">What is searched.</typeparam>
public sealed class TrainingTrialEvaluator<TCandidate> : ITrialEvaluator<TCandidate>
{
    private readonly Func<Trial<TCandidate>, TrainingProblem> _createProblem;
    private readonly Func<Trial<TCandidate>, TrainingSettings> _createSettings;

    /// <summary>An evaluator measuring <paramref name="metricName"/> of <paramref name="task"/> (default: the task's
    /// early-stopping default, e.g. accuracy).</summary>
    /// <param name="task">The task every trial's problem has; it names the metric's direction.</param>
    /// <param name="createProblem">The problem of a trial (needs validation data: the metric is measured on it).</param>
    /// <param name="createSettings">The settings of a trial (may be one shared instance: the evaluator copies it and sets
    /// the copy's <c>Seed</c>, <c>Progress</c> and <c>CancellationToken</c> to the trial's).</param>
    /// <param name="metricName">A metric of <paramref name="task"/> (<see cref="MetricNames"/>).</param>
    /// <exception cref="ArgumentException">The task does not measure <paramref name="metricName"/>.</exception>
    public TrainingTrialEvaluator(TrainingTask task, Func<Trial<TCandidate>, TrainingProblem> createProblem,
        Func<Trial<TCandidate>, TrainingSettings> createSettings, string? metricName = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        _createProblem = createProblem ?? throw new ArgumentNullException(nameof(createProblem));
        _createSettings = createSettings ?? throw new ArgumentNullException(nameof(createSettings));
        var metric = task.Metric(metricName ?? task.DefaultEarlyStoppingMetric, nameof(metricName));
        Task = task;
        MetricName = metric.Name;
        Objective = new SearchObjective(metric.Name, metric.HigherIsBetter);
    }

    /// <summary>The task of every trial.</summary>
    public TrainingTask Task { get; }

    /// <summary>The validation metric reported and returned.</summary>
    public string MetricName { get; }

    /// <inheritdoc />
    public SearchObjective Objective { get; }

    /// <inheritdoc />
    public Task<TrialResult> EvaluateAsync(Trial<TCandidate> trial, ITrialReporter reporter, CancellationToken cancellationToken) =>
        System.Threading.Tasks.Task.Run(() => Evaluate(trial, reporter, cancellationToken), cancellationToken);

    private TrialResult Evaluate(Trial<TCandidate> trial, ITrialReporter reporter, CancellationToken cancellationToken)
    {
        var problem = _createProblem(trial) ?? throw new InvalidOperationException("The problem factory returned null.");
        if (!problem.Task.Equals(Task))
            throw new ArgumentException($"Trial {trial.Id}'s problem is a {problem.Task} task; this evaluator measures {Task} tasks.");
        if (problem.Validation is null)
            throw new ArgumentException($"Trial {trial.Id}'s problem has no validation data; the evaluator measures {MetricName} on it.");
        // A copy: the factory may hand every trial the same instance, and each trial sets its own seed, token and progress.
        var settings = (_createSettings(trial) ?? throw new InvalidOperationException("The settings factory returned null.")).Copy();
        var userProgress = settings.Progress;
        settings.Seed = trial.Seed;
        settings.CancellationToken = cancellationToken;
        settings.Progress = summary =>
        {
            userProgress?.Invoke(summary);
            reporter.Report(summary.Epoch, summary.Validation[MetricName]);   // may throw TrialStoppedException
        };
        var outcome = StudentTrainer.Train(problem, settings);
        using (outcome.Student)
        using (outcome.LearnedLoss)
        {
            double value = outcome.History[Math.Min(outcome.SelectedEpoch, outcome.History.Count - 1)].Validation[MetricName];
            long parameters = outcome.Student.parameters().Sum(p => p.numel());
            return TrialResult.Completed(value, new Dictionary<string, double>
            {
                ["parameters"] = parameters,
                ["epochs"] = outcome.History.Count,
            });
        }
    }
}
