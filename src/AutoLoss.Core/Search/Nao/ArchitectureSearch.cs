using AutoLoss.Core.Data;
using AutoLoss.Core.Training;

namespace AutoLoss.Core.Search.Nao;

/// <summary>
/// Runs a student search on in-memory data: each trial trains the decoded student with the given settings and is scored
/// on the validation rows (<see cref="TrainingTrialEvaluator{TCandidate}"/>); the strategy is NAO or, as the honest
/// baseline, random search over the same space under the same size limit. Returns an <see cref="ArchitectureSearchResult"/>,
/// which <c>continueFrom</c> takes back to continue the search.
/// </summary>
public static class ArchitectureSearch
{
    /// <summary>Searches (or continues) and returns every evaluated architecture with the strategy's state.</summary>
    /// <exception cref="ArgumentException">The continued result is of another strategy.</exception>
    public static async Task<ArchitectureSearchResult> RunAsync(IArchitectureSpace space, TrainingTask task, ITrainingBatchSource train, InMemoryDataset validation,
        TrainingSettings settings, bool useNao, NaoOptions nao, SearchRunnerOptions runner, IProgress<FinishedTrial<int[]>>? progress = null,
        ArchitectureSearchResult? continueFrom = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(nao);
        ArgumentNullException.ThrowIfNull(runner);
        string strategyName = useNao ? "nao" : "random";
        if (continueFrom is not null && continueFrom.Strategy != strategyName)
            throw new ArgumentException($"The search to continue used {continueFrom.Strategy}; this one uses {strategyName}.", nameof(continueFrom));
        int seed = continueFrom?.Seed ?? runner.Seed;
        ISearchStrategy<int[]> strategy = useNao ? new NaoStrategy(space, nao, seed) : new RandomSearchStrategy<int[]>(new SizeLimitedSpace(space, nao.MaxParameters, nao.InputSize, nao.OutputSize), seed);
        try
        {
            if (continueFrom is not null)
            {
                using var saved = new MemoryStream(Convert.FromBase64String(continueFrom.StrategyState));
                strategy.Restore(saved);
            }
            var evaluator = new TrainingTrialEvaluator<int[]>(task,
                trial => new TrainingProblem { Student = space.Decode(trial.Candidate), Task = task, Train = train, Validation = validation }, _ => settings);
            var options = new SearchRunnerOptions
            {
                Seed = seed, Budget = runner.Budget, TrialsPerRound = runner.TrialsPerRound, Stopper = runner.Stopper,
                FirstTrialId = continueFrom?.NextTrialId ?? runner.FirstTrialId,
            };
            var result = await new SearchRunner<int[]>(strategy, evaluator, options).RunAsync(progress, cancellationToken).ConfigureAwait(false);
            using var state = new MemoryStream();
            strategy.Save(state);
            var evaluated = (continueFrom?.Evaluated ?? []).Concat(result.Trials.Select(t => new EvaluatedStudent(t.Trial.Id, space.Canonical(t.Trial.Candidate),
                space.Decode(t.Trial.Candidate).ToString(), t.Result.MetricValue, space.ParameterCount(t.Trial.Candidate, nao.InputSize, nao.OutputSize)))).ToList();
            return new ArchitectureSearchResult
            {
                Strategy = strategyName, MetricName = evaluator.Objective.MetricName, HigherIsBetter = evaluator.Objective.HigherIsBetter,
                Evaluated = evaluated, NextTrialId = result.NextTrialId, Seed = seed, StrategyState = Convert.ToBase64String(state.ToArray()),
            };
        }
        finally
        {
            (strategy as IDisposable)?.Dispose();
        }
    }
}
