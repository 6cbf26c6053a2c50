using AutoLoss.Core.Search;

namespace AutoLoss.ML.Tests;

[TestClass]
public sealed class SearchRunnerTests
{
    /// <summary>A deterministic evaluator with random timing: five decreasing intermediate values per trial (noise from
    /// the trial seed), failures for some candidates, and a delay that shuffles completion order between runs.</summary>
    private sealed class JitteryCurveEvaluator : ITrialEvaluator<GridPoint>
    {
        private readonly Random _timing = new();
        private int _running;

        public int PeakRunning;

        public SearchObjective Objective => SearchTesting.Error;

        public async Task<TrialResult> EvaluateAsync(Trial<GridPoint> trial, ITrialReporter reporter, CancellationToken cancellationToken)
        {
            int now = Interlocked.Increment(ref _running);
            InterlockedMax(ref PeakRunning, now);
            try
            {
                var noise = new Random(trial.Seed);
                double final = GridSpace.Quadratic(trial.Candidate) + 0.1 * noise.NextDouble();
                for (int step = 1; step <= 5; step++)
                {
                    int delay;
                    lock (_timing) delay = _timing.Next(1, 6);
                    await Task.Delay(delay, cancellationToken);
                    reporter.Report(step, final + 8.0 / step);
                }
                if (trial.Candidate.X == -4) throw new InvalidOperationException($"candidate {trial.Candidate} is rejected");
                return TrialResult.Completed(final, new Dictionary<string, double> { ["Parameters"] = 10 * trial.Candidate.X });
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
        }
    }

    private static async Task<(SearchResult<GridPoint> Result, int Peak)> RunAdaptiveSearch(int concurrent)
    {
        var evaluator = new JitteryCurveEvaluator();
        var options = SearchTesting.Options(maxTrials: 40, concurrent: concurrent, perRound: 4, seed: 21, stopper: new MedianTrialStopper(warmUpTrials: 3, minimumStep: 2));
        var result = await new SearchRunner<GridPoint>(new GreedyNeighbourStrategy(seed: 5), evaluator, options).RunAsync();
        return (result, evaluator.PeakRunning);
    }

    [TestMethod]
    public async Task ParallelAndSequentialRunsOfAnAdaptiveSearchGiveIdenticalResults()
    {
        var sequential = await RunAdaptiveSearch(concurrent: 1);
        var parallel = await RunAdaptiveSearch(concurrent: 4);
        var parallelAgain = await RunAdaptiveSearch(concurrent: 4);

        Assert.AreEqual(1, sequential.Peak);
        Assert.IsLessThanOrEqualTo(4, parallel.Peak, "never more than MaxConcurrentTrials at once");
        Assert.IsGreaterThan(1, parallel.Peak, "the parallel run did overlap trials");
        Assert.AreEqual(SearchTesting.WithoutTimings(sequential.Result), SearchTesting.WithoutTimings(parallel.Result));
        Assert.AreEqual(SearchTesting.WithoutTimings(parallel.Result), SearchTesting.WithoutTimings(parallelAgain.Result));

        var result = parallel.Result;
        Assert.HasCount(40, result.Trials);
        Assert.IsGreaterThan(0, result.Count(TrialStatus.StoppedEarly), "the comparison covers stopping decisions");
        Assert.IsGreaterThan(0, result.Count(TrialStatus.Completed));
        Assert.IsTrue(result.Trials.All(t => t.Trial.Seed == TrialSeed.Derive(21, t.Trial.Id)));
        Assert.AreEqual(40, result.Trials.Select(t => t.Trial.Seed).Distinct().Count());
    }

    [TestMethod]
    public async Task ThrowingEvaluatorYieldsFailedTrialsWithTheMessageWhileOthersComplete()
    {
        var strategy = new FixedListStrategy<GridPoint>([.. GridSpace.All.Take(6)]);
        var evaluator = new DelegateTrialEvaluator<GridPoint>(SearchTesting.Error, (trial, _, _) =>
            trial.Id % 2 == 1 ? throw new InvalidOperationException($"boom {trial.Id}") : TrialResult.Completed(trial.Id));

        var reported = new ConcurrentProgress();
        var result = await new SearchRunner<GridPoint>(strategy, evaluator, SearchTesting.Options(maxTrials: 10)).RunAsync(reported);

        Assert.AreEqual(SearchStopReason.StrategyExhausted, result.StopReason);
        CollectionAssert.AreEquivalent(Enumerable.Range(0, 6).ToList(), reported.Ids.ToList(), "progress heard of every trial once");
        Assert.AreEqual(3, result.Count(TrialStatus.Failed));
        Assert.AreEqual(3, result.Count(TrialStatus.Completed));
        foreach (var failed in result.Trials.Where(t => t.Result.Status == TrialStatus.Failed))
        {
            Assert.AreEqual("InvalidOperationException: boom " + failed.Trial.Id, failed.Result.ErrorMessage);
            Assert.IsTrue(double.IsNaN(failed.Result.MetricValue));
        }
        Assert.AreEqual(0, result.Best!.Trial.Id);
        CollectionAssert.AreEqual(Enumerable.Range(0, 6).ToList(), strategy.ToldIds, "every trial is told, in id order");
        Assert.IsTrue(result.Trials.All(t => t.Result.MetricName == "Error" && !t.Result.HigherIsBetter));
    }

    [TestMethod]
    public async Task CancellationEndsTheRunWithACancelledResultAndNoTrialStillRunning()
    {
        using var cancellation = new CancellationTokenSource();
        int running = 0, blocked = 0;
        var evaluator = new DelegateTrialEvaluator<GridPoint>(SearchTesting.Error, async (trial, reporter, token) =>
        {
            Interlocked.Increment(ref running);
            try
            {
                if (trial.Id < 4) return TrialResult.Completed(trial.Id);
                if (Interlocked.Increment(ref blocked) == 2) _ = Task.Run(cancellation.Cancel);
                await Task.Delay(Timeout.Infinite, token);
                return TrialResult.Completed(-1);
            }
            finally
            {
                Interlocked.Decrement(ref running);
            }
        });
        var runner = new SearchRunner<GridPoint>(new RandomSearchStrategy<GridPoint>(new GridSpace(), 1), evaluator, SearchTesting.Options(maxTrials: 50));

        var result = await runner.RunAsync(cancellationToken: cancellation.Token).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.AreEqual(SearchStopReason.Cancelled, result.StopReason);
        Assert.AreEqual(0, Volatile.Read(ref running), "the run returned only after every evaluation ended");
        Assert.HasCount(8, result.Trials, "the first round completed; the second was cancelled");
        Assert.AreEqual(4, result.Count(TrialStatus.Completed));
        Assert.AreEqual(4, result.Count(TrialStatus.Cancelled), "two cancelled while running, two before starting");
        Assert.AreEqual(0, result.Best!.Trial.Id);
    }

    [TestMethod]
    public async Task WallTimeBudgetStopsTheSearch()
    {
        var evaluator = new DelegateTrialEvaluator<GridPoint>(SearchTesting.Error, async (trial, _, token) =>
        {
            await Task.Delay(40, token);
            return TrialResult.Completed(GridSpace.Quadratic(trial.Candidate));
        });
        var options = SearchTesting.Options(maxTrials: 100_000);
        options.Budget.MaxWallTime = TimeSpan.FromMilliseconds(400);
        var strategy = new RandomSearchStrategy<GridPoint>(new NoKeyGridSpace(), 1);

        var result = await new SearchRunner<GridPoint>(strategy, evaluator, options).RunAsync().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.AreEqual(SearchStopReason.WallTimeReached, result.StopReason);
        Assert.IsLessThan(TimeSpan.FromSeconds(5), result.WallTime);
        Assert.IsGreaterThan(0, result.Count(TrialStatus.Completed));
        Assert.IsLessThan(1000, result.Trials.Count);
        Assert.IsTrue(result.Trials.All(t => t.Result.Status is TrialStatus.Completed or TrialStatus.Cancelled));
    }

    [TestMethod]
    public async Task ARunnerRunsOnceAndRejectsAStrategyThatReturnsTooMuch()
    {
        var runner = new SearchRunner<GridPoint>(new FixedListStrategy<GridPoint>([new(0, 0)]), SearchTesting.QuadraticEvaluator());
        await runner.RunAsync();
        await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => runner.RunAsync());

        var greedy = new SearchRunner<GridPoint>(new OversizedStrategy(), SearchTesting.QuadraticEvaluator());
        var error = await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => greedy.RunAsync());
        Assert.Contains("at most the number asked for", error.Message);
    }

    [TestMethod]
    public void InvalidOptionsAreRejectedWithTheOptionsName()
    {
        var strategy = new FixedListStrategy<GridPoint>([]);
        var evaluator = SearchTesting.QuadraticEvaluator();
        var cases = new (string Name, SearchRunnerOptions Options)[]
        {
            ("MaxTrials", new() { Budget = new SearchBudget { MaxTrials = 0 } }),
            ("MaxConcurrentTrials", new() { Budget = new SearchBudget { MaxConcurrentTrials = 0 } }),
            ("MaxWallTime", new() { Budget = new SearchBudget { MaxWallTime = TimeSpan.Zero } }),
            ("TrialsPerRound", new() { TrialsPerRound = 0 }),
            ("FirstTrialId", new() { FirstTrialId = -1 }),
        };
        foreach (var (name, options) in cases)
        {
            var error = Assert.ThrowsExactly<ArgumentException>(() => new SearchRunner<GridPoint>(strategy, evaluator, options));
            Assert.Contains(name, error.Message);
        }
    }

    [TestMethod]
    public void DefaultConcurrencyIsTheProcessorCount()
    {
        Assert.AreEqual(Math.Max(1, Environment.ProcessorCount), new SearchBudget().MaxConcurrentTrials);
    }

    /// <summary>Collects progress reports synchronously, from whichever thread reports.</summary>
    private sealed class ConcurrentProgress : IProgress<FinishedTrial<GridPoint>>
    {
        public System.Collections.Concurrent.ConcurrentQueue<int> Ids { get; } = new();

        public void Report(FinishedTrial<GridPoint> value) => Ids.Enqueue(value.Trial.Id);
    }

    private sealed class NoKeyGridSpace : ISearchSpace<GridPoint>
    {
        public GridPoint Sample(Random random) => new GridSpace().Sample(random);
    }

    private sealed class OversizedStrategy : ISearchStrategy<GridPoint>
    {
        public IReadOnlyList<GridPoint> Ask(int count) => [.. Enumerable.Repeat(new GridPoint(0, 0), count + 1)];

        public void Tell(Trial<GridPoint> trial, TrialResult result) { }

        public void Save(Stream stream) { }

        public void Restore(Stream stream) { }
    }
}
