using System.Diagnostics;

namespace AutoLoss.Core.Search;

/// <summary>Runs one trial through an evaluator and turns whatever happens (a result, an early stop, a cancellation, an
/// exception) into a complete <see cref="TrialResult"/>. Never throws for the trial's sake.</summary>
internal static class TrialExecution
{
    /// <summary>Evaluates <paramref name="trial"/> unless <paramref name="cancellationToken"/> is already cancelled.</summary>
    public static async Task<TrialResult> RunAsync<TCandidate>(
        Trial<TCandidate> trial, ITrialEvaluator<TCandidate> evaluator, ITrialStopper stopper, CancellationToken cancellationToken)
    {
        var objective = evaluator.Objective;
        if (cancellationToken.IsCancellationRequested)
            return Stamp(new TrialResult { Status = TrialStatus.Cancelled, ErrorMessage = "Not started: the search stopped before this trial began." }, trial, objective, [], TimeSpan.Zero);

        var reporter = new TrialReporter(trial.Id, objective, stopper, cancellationToken);
        var clock = Stopwatch.StartNew();
        TrialResult result;
        try
        {
            var returned = await evaluator.EvaluateAsync(trial, reporter, cancellationToken).ConfigureAwait(false);
            result = Accept(returned, reporter, objective);
        }
        catch (Exception exception)
        {
            result = Classify(Unwrap(exception), reporter, objective, cancellationToken);
        }
        return Stamp(result, trial, objective, reporter.Reported, clock.Elapsed);
    }

    /// <summary>Checks a returned result; a trial that was asked to stop counts as stopped even if the evaluator went on.</summary>
    private static TrialResult Accept(TrialResult? returned, TrialReporter reporter, SearchObjective objective)
    {
        if (returned is null) return TrialResult.Failed("The evaluator returned no result (null).");
        if (!string.IsNullOrEmpty(returned.MetricName) && returned.MetricName != objective.MetricName)
            return TrialResult.Failed($"The evaluator's result measures '{returned.MetricName}' but its Objective is '{objective.MetricName}'; return the objective's metric.");
        if (reporter.StopRequested && returned.Status == TrialStatus.Completed)
            return StoppedEarly(reporter, objective);
        return returned;
    }

    private static TrialResult Classify(Exception exception, TrialReporter reporter, SearchObjective objective, CancellationToken cancellationToken) => exception switch
    {
        TrialStoppedException => StoppedEarly(reporter, objective),
        OperationCanceledException when cancellationToken.IsCancellationRequested =>
            new TrialResult { Status = TrialStatus.Cancelled, ErrorMessage = "Cancelled while running: the search was cancelled or ran out of wall time." },
        _ => TrialResult.Failed($"{exception.GetType().Name}: {exception.Message}"),
    };

    private static TrialResult StoppedEarly(TrialReporter reporter, SearchObjective objective) => new()
    {
        Status = TrialStatus.StoppedEarly,
        MetricValue = objective.Best(reporter.Reported.Select(point => point.Value)),
    };

    /// <summary>The single exception inside an <see cref="AggregateException"/> (from blocking waits in evaluators).</summary>
    private static Exception Unwrap(Exception exception)
    {
        while (exception is AggregateException { InnerExceptions.Count: 1 } aggregate) exception = aggregate.InnerExceptions[0];
        return exception;
    }

    /// <summary>Fills in what the runner knows better than the evaluator: ids, timing, the objective, reported values.</summary>
    private static TrialResult Stamp<TCandidate>(TrialResult result, Trial<TCandidate> trial, SearchObjective objective,
        IReadOnlyList<IntermediateValue> reported, TimeSpan duration) => result with
        {
            TrialId = trial.Id,
            MetricName = objective.MetricName,
            HigherIsBetter = objective.HigherIsBetter,
            IntermediateValues = result.IntermediateValues is { Count: > 0 } own ? own : reported,
            Measurements = result.Measurements ?? new Dictionary<string, double>(),
            Duration = duration,
        };
}
