using AutoLoss.Core.Search;

namespace AutoLoss.ML.Tests.LossExpressions;

/// <summary>CMA-ES on the search layer: it solves standard test functions, beats random search at the same budget,
/// restores exactly, and refuses bad settings by name.</summary>
[TestClass]
public sealed class CmaEsTests
{
    private static double Sphere(double[] x) => x.Sum(v => v * v);

    private static double Rosenbrock(double[] x) =>
        Enumerable.Range(0, x.Length - 1).Sum(i => 100 * Math.Pow(x[i + 1] - x[i] * x[i], 2) + Math.Pow(1 - x[i], 2));

    private static async Task<SearchResult<double[]>> Minimise(ISearchStrategy<double[]> strategy, Func<double[], double> f, int trials) =>
        await new SearchRunner<double[]>(strategy,
            new DelegateTrialEvaluator<double[]>(new SearchObjective("f", higherIsBetter: false), (t, _, _) => TrialResult.Completed(f(t.Candidate))),
            new SearchRunnerOptions { Seed = 1, TrialsPerRound = 10, Budget = new SearchBudget { MaxTrials = trials, MaxConcurrentTrials = 1 } }).RunAsync();

    /// <summary>Uniform points in [-5, 5]^8: the random-search baseline.</summary>
    private sealed class Box : ISearchSpace<double[]>
    {
        public double[] Sample(Random random) => Enumerable.Range(0, 8).Select(_ => 10 * random.NextDouble() - 5).ToArray();
    }

    [TestMethod]
    public async Task CmaEsMinimisesTheSphereFarBetterThanRandomSearchWithTheSameBudget()
    {
        var cma = new CmaEsStrategy(new CmaEsOptions { InitialMean = Enumerable.Repeat(3.0, 8).ToArray(), InitialSigma = 2, Generations = 100 }, seed: 2);
        var result = await Minimise(cma, Sphere, 1000);
        var random = await Minimise(new RandomSearchStrategy<double[]>(new Box(), seed: 2), Sphere, 1000);
        Assert.AreEqual(10, cma.PopulationSize, "4 + floor(3 ln 8)");
        Assert.IsLessThan(1e-6, result.Best!.Result.MetricValue);
        Assert.IsGreaterThan(1, random.Best!.Result.MetricValue, "random search in the box stays far from the optimum");
        Assert.IsLessThan(0.01, cma.Sigma, "the step size shrinks as the search converges");
    }

    [TestMethod]
    public async Task CmaEsSolvesTheEightDimensionalRosenbrockValley()
    {
        var cma = new CmaEsStrategy(new CmaEsOptions { InitialMean = new double[8], InitialSigma = 0.5, Generations = 1000 }, seed: 5);
        var result = await Minimise(cma, Rosenbrock, 8000);
        Assert.IsLessThan(1e-4, result.Best!.Result.MetricValue, "the global minimum 0 at (1, ..., 1)");
        Assert.IsTrue(cma.Mean.All(m => Math.Abs(m - 1) < 0.05), string.Join(", ", cma.Mean));
    }

    [TestMethod]
    public async Task ARestoredCmaEsProposesWhatTheSavedOneWould()
    {
        var options = new CmaEsOptions { InitialMean = [1, -2, 0.5], InitialSigma = 1, Generations = 50 };
        var original = new CmaEsStrategy(options, seed: 9);
        await Minimise(original, Sphere, 37);   // three generations of 7 and part of the fourth... told in rounds of 10
        using var saved = new MemoryStream();
        original.Save(saved);
        saved.Position = 0;
        var restored = new CmaEsStrategy(options, seed: 0);
        restored.Restore(saved);
        var next = original.Ask(7);
        CollectionAssert.AreEqual(next.SelectMany(x => x).ToArray(), restored.Ask(7).SelectMany(x => x).ToArray());
        Assert.AreEqual(original.Sigma, restored.Sigma);
    }

    [TestMethod]
    public void FailedTrialsRankLastAndBadSettingsAreRefusedByName()
    {
        var cma = new CmaEsStrategy(new CmaEsOptions { InitialMean = [0, 0], PopulationSize = 4 }, seed: 1);
        var asked = cma.Ask(4);
        for (int i = 0; i < 4; i++)
            cma.Tell(new Trial<double[]>(i, asked[i], 0), i == 0 ? TrialResult.Failed("diverged") : TrialResult.Completed(Sphere(asked[i])) with { HigherIsBetter = false });
        Assert.AreEqual(1, cma.Generation, "a generation updates once all its candidates are told, failures included");
        Assert.IsTrue(double.IsFinite(cma.History[0].BestFitness), "a failed trial is never the best");

        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new CmaEsStrategy(new CmaEsOptions { InitialMean = [0], InitialSigma = 0 }, 1)).Message, "InitialSigma");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new CmaEsStrategy(new CmaEsOptions { InitialMean = [] }, 1)).Message, "InitialMean");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new CmaEsStrategy(new CmaEsOptions { InitialMean = [0], PopulationSize = 1 }, 1)).Message, "PopulationSize");
    }
}
