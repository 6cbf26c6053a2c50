using System.Globalization;
using AutoLoss.Core.Search;

namespace AutoLoss;

/// <summary>
/// The evolved Taylor-polynomial loss search (TaylorGLO; Gao et al., ICCV 2021, for label noise): CMA-ES
/// (<see cref="CmaEsStrategy"/>) over the 8 parameters of <see cref="TaylorPolynomialLoss"/>, each candidate scored by
/// the evaluator (e.g. proxy training runs on several tasks, noisy labels among them, their metric averaged), run on
/// the search layer. Candidates whose parameters give no loss (every coefficient 0) fail as trials and rank last.
/// </summary>
public sealed class TaylorLossSearch : LossSearchMethod
{
    /// <summary>The CMA-ES settings (default: <see cref="DefaultOptions"/> with 100 generations of 10; the runner's
    /// MaxTrials caps the candidates trained).</summary>
    public CmaEsOptions CmaEs { get; set; } = DefaultOptions();

    /// <inheritdoc />
    public override Task<SearchedLoss> SearchAsync(IReadOnlyList<LossProxyTask> tasks, SearchRunnerOptions runner, IProgress<LossSearchTrial>? progress = null,
        CancellationToken cancellationToken = default) =>
        RunAsync(new LossTrialEvaluator<double[]>(tasks, theta => LossOptions.TaylorPolynomial(theta)), CmaEs, runner,
            Report<double[]>(progress, theta => "theta (" + string.Join(", ", theta.Select(t => t.ToString("G4", CultureInfo.InvariantCulture))) + ")"), cancellationToken);

    /// <summary>CMA-ES settings for the Taylor family: start at theta = 0 with sigma 1.2 (TaylorGLO's setting).</summary>
    /// <param name="generations">Generations (TaylorGLO: up to 100).</param>
    /// <param name="populationSize">lambda; null for 4 + floor(3 ln 8) = 10.</param>
    public static CmaEsOptions DefaultOptions(int generations = 100, int? populationSize = null) => new()
    {
        InitialMean = new double[TaylorPolynomialLoss.ParameterCount],
        InitialSigma = 1.2,
        Generations = generations,
        PopulationSize = populationSize,
    };

    /// <summary>Searches the Taylor family and returns the best polynomial as a <see cref="SearchedLoss"/>.</summary>
    /// <param name="evaluator">Scores one parameter vector (build its loss with <c>LossOptions.TaylorPolynomial</c>).</param>
    /// <param name="cmaEs">CMA-ES settings (<see cref="DefaultOptions"/>); the mean must have 8 values.</param>
    /// <param name="runner">Budget, seed, round size; the strategy is seeded with the runner's seed.</param>
    /// <param name="progress">Receives each trial as it finishes.</param>
    /// <param name="cancellationToken">Ends the search early; the best loss so far is returned.</param>
    /// <exception cref="ArgumentException">The mean does not have 8 values, or an option is out of range.</exception>
    /// <exception cref="InvalidOperationException">No trial completed.</exception>
    public static async Task<SearchedLoss> RunAsync(ITrialEvaluator<double[]> evaluator, CmaEsOptions cmaEs, SearchRunnerOptions runner,
        IProgress<FinishedTrial<double[]>>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        ArgumentNullException.ThrowIfNull(cmaEs);
        ArgumentNullException.ThrowIfNull(runner);
        if (cmaEs.InitialMean is null || cmaEs.InitialMean.Count != TaylorPolynomialLoss.ParameterCount)
            throw new ArgumentException($"The Taylor search needs an InitialMean of {TaylorPolynomialLoss.ParameterCount} values (theta_0..theta_7).", nameof(cmaEs));
        var strategy = new CmaEsStrategy(cmaEs, runner.Seed);
        var result = await new SearchRunner<double[]>(strategy, evaluator, runner).RunAsync(progress, cancellationToken).ConfigureAwait(false);
        var best = result.Best ?? throw new InvalidOperationException(
            $"The Taylor loss search completed no trial ({result.Trials.Count} trials, stopped by {result.StopReason}); raise the budget or check the evaluator's errors.");
        var loss = new TaylorPolynomialLoss(best.Trial.Candidate);
        string N(double v) => v.ToString(CultureInfo.InvariantCulture);
        return new SearchedLoss
        {
            Method = "Taylor CMA-ES",
            Expression = loss.Expression.ToString(),
            MetricName = evaluator.Objective.MetricName,
            HigherIsBetter = evaluator.Objective.HigherIsBetter,
            Fitness = best.Result.MetricValue,
            Settings = new Dictionary<string, string>
            {
                ["theta"] = string.Join(", ", best.Trial.Candidate.Select(N)),
                ["initialMean"] = string.Join(", ", cmaEs.InitialMean.Select(N)),
                ["initialSigma"] = N(cmaEs.InitialSigma),
                ["populationSize"] = N(strategy.PopulationSize),
                ["generations"] = N(cmaEs.Generations),
                ["seed"] = N(runner.Seed),
            },
            Generations = strategy.History.Select(g => new SearchedLossGeneration(g.Generation, new TaylorPolynomialLoss(g.Best).Expression.ToString(), g.BestFitness, g.MeanFitness)).ToList(),
            Cost = new Dictionary<string, double>
            {
                ["trained"] = result.Trials.Count,
                ["failed"] = result.Count(TrialStatus.Failed),
                ["meanTrialSeconds"] = result.Trials.Select(t => t.Result.Duration.TotalSeconds).DefaultIfEmpty(0).Average(),
                ["wallSeconds"] = result.WallTime.TotalSeconds,
            },
        };
    }
}
