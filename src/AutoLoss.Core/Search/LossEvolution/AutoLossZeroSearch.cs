using System.Globalization;
using AutoLoss.Core.Search;
using AutoLoss.Core.Search.LossEvolution;

namespace AutoLoss;

/// <summary>
/// Runs an AutoLoss-Zero search on the search layer and packages its best loss as a <see cref="SearchedLoss"/>: the
/// <see cref="ExpressionEvolutionStrategy"/> proposes expressions, the evaluator scores each by a short proxy training
/// (e.g. a <see cref="TrainingTrialEvaluator{TCandidate}"/> whose problems use the candidate as their loss), and the <see cref="SearchRunner{TCandidate}"/> applies the budget,
/// parallelism, progress and cancellation. The budget's <see cref="SearchBudget.MaxTrials"/> caps trained candidates;
/// the evolution's generations end the search otherwise.
/// </summary>
public sealed class AutoLossZeroSearch : LossSearchMethod
{
    /// <summary>The evolution's settings (defaults: population 25 x 50 generations; the runner's MaxTrials caps the
    /// candidates trained).</summary>
    public ExpressionEvolutionOptions Evolution { get; set; } = new();

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The tasks are not classification tasks of one class count.</exception>
    public override Task<SearchedLoss> SearchAsync(IReadOnlyList<LossProxyTask> tasks, SearchRunnerOptions runner, IProgress<LossSearchTrial>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        if (tasks.Count == 0 || tasks.Any(t => t.Task is not ClassificationTask c || c.NumberOfClasses != ((ClassificationTask)tasks[0].Task).NumberOfClasses))
            throw new ArgumentException("AutoLoss-Zero searches classification losses: give it one or more classification tasks with the same number of classes.", nameof(tasks));
        return RunAsync(new LossTrialEvaluator<LossExpression>(tasks, LossOptions.Expression), ((ClassificationTask)tasks[0].Task).NumberOfClasses, Evolution, runner,
            Report<LossExpression>(progress, e => e.ToString()), cancellationToken);
    }

    /// <summary>Searches from scratch with a new strategy seeded by <paramref name="runner"/>'s seed.</summary>
    /// <param name="evaluator">Scores one expression (its objective is the search metric).</param>
    /// <param name="numberOfClasses">Classes of the task (the rejection protocol and equivalence check probe that many).</param>
    /// <param name="evolution">Evolution settings (defaults: population 25 x 50 generations).</param>
    /// <param name="runner">Budget, seed, round size and stopper of the run.</param>
    /// <param name="progress">Receives each trained candidate as it finishes.</param>
    /// <param name="cancellationToken">Ends the search early; the best loss so far is returned.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    /// <exception cref="InvalidOperationException">No candidate completed its training run.</exception>
    public static Task<SearchedLoss> RunAsync(ITrialEvaluator<LossExpression> evaluator, int numberOfClasses, ExpressionEvolutionOptions? evolution = null,
        SearchRunnerOptions? runner = null, IProgress<FinishedTrial<LossExpression>>? progress = null, CancellationToken cancellationToken = default)
    {
        evolution ??= new ExpressionEvolutionOptions();
        runner ??= new SearchRunnerOptions();
        return RunAsync(new ExpressionEvolutionStrategy(evolution, numberOfClasses, runner.Seed), evolution, evaluator, runner, progress, cancellationToken);
    }

    /// <summary>Continues the search of <paramref name="strategy"/> (e.g. one restored from a saved state); the report
    /// covers the whole search so far.</summary>
    public static async Task<SearchedLoss> RunAsync(ExpressionEvolutionStrategy strategy, ExpressionEvolutionOptions evolution, ITrialEvaluator<LossExpression> evaluator,
        SearchRunnerOptions runner, IProgress<FinishedTrial<LossExpression>>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentNullException.ThrowIfNull(evolution);
        var result = await new SearchRunner<LossExpression>(strategy, evaluator, runner).RunAsync(progress, cancellationToken).ConfigureAwait(false);
        var best = strategy.Best ?? throw new InvalidOperationException(
            $"The loss search trained no candidate to completion ({result.Trials.Count} trials, stopped by {result.StopReason}); raise the budget or check the evaluator's errors.");
        var counts = strategy.Counts;
        var durations = result.Trials.Where(t => t.Result.Status == TrialStatus.Completed).Select(t => t.Result.Duration.TotalSeconds).DefaultIfEmpty(0).ToList();
        double meanTrial = durations.Average();
        return new SearchedLoss
        {
            Method = "AutoLoss-Zero",
            Expression = best.Expression,
            MetricName = evaluator.Objective.MetricName,
            HigherIsBetter = evaluator.Objective.HigherIsBetter,
            Fitness = best.Fitness,
            Settings = Describe(evolution, runner),
            Generations = strategy.History.Select(g => new SearchedLossGeneration(g.Generation, g.Best, g.BestFitness, g.MeanFitness)).ToList(),
            Cost = new Dictionary<string, double>
            {
                ["trained"] = counts.Trained,
                ["rejected"] = counts.Rejected,
                ["skippedEquivalent"] = counts.SkippedEquivalent,
                ["duplicates"] = counts.Duplicates,
                ["malformed"] = counts.Malformed,
                ["filterSeconds"] = counts.FilterTime.TotalSeconds,
                ["meanTrialSeconds"] = meanTrial,
                // Without the filters each rejected or equivalent candidate would have cost a training run.
                ["savedSeconds"] = Math.Max(0, (counts.Rejected + counts.SkippedEquivalent) * meanTrial - counts.FilterTime.TotalSeconds),
                ["wallSeconds"] = result.WallTime.TotalSeconds,
            },
        };
    }

    private static Dictionary<string, string> Describe(ExpressionEvolutionOptions e, SearchRunnerOptions r)
    {
        string N(double v) => v.ToString(CultureInfo.InvariantCulture);
        return new Dictionary<string, string>
        {
            ["populationSize"] = N(e.PopulationSize),
            ["generations"] = N(e.Generations),
            ["crossoverProbability"] = N(e.CrossoverProbability),
            ["mutationProbability"] = N(e.MutationProbability),
            ["eliteFraction"] = N(e.EliteFraction),
            ["tournamentSize"] = N(e.TournamentSize),
            ["maxHeight"] = N(e.MaxHeight),
            ["initialExpressions"] = string.Join("; ", e.InitialExpressions),
            ["rejection"] = e.Rejection is { } p ? $"{p.Samples} samples, {p.Steps} Adam steps, lr {N(p.LearningRate)}, accuracy >= {N(p.MinimumAccuracy)}" : "off",
            ["gradientEquivalenceCheck"] = e.GradientEquivalenceCheck.ToString(),
            ["seed"] = N(r.Seed),
            ["maxTrials"] = N(r.Budget.MaxTrials),
            ["trialsPerRound"] = N(r.TrialsPerRound),
        };
    }
}
