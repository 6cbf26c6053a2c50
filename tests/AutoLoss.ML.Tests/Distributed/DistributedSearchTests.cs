using AutoLoss.Core.Search;
using AutoLoss.Orleans;
using Orleans.TestingHost;

namespace AutoLoss.ML.Tests.Distributed;

/// <summary>Searches on an Orleans cluster (two in-process silos): the same result as the local evaluator, no trial lost
/// when a silo stops mid-search, a hung attempt re-run elsewhere, and an evaluator's error kept with its trial.</summary>
[TestClass]
public sealed class DistributedSearchTests
{
    private const string Grid = "grid";

    /// <summary>Trials whose first attempt hangs (set by a test; the silos run in this process, so they see it).</summary>
    private static readonly HashSet<int> HangOnce = [];

    /// <summary>The grid evaluator the workers and the local reference share: a seeded score, a short delay so trials
    /// overlap, a failure for X = -4, and an optional hang.</summary>
    private static DelegateTrialEvaluator<GridPoint> GridEvaluator(int delayMilliseconds) =>
        new(SearchTesting.Error, async (trial, reporter, cancellationToken) =>
        {
            bool hang;
            lock (HangOnce) hang = HangOnce.Remove(trial.Id);
            await Task.Delay(hang ? 3_000 : delayMilliseconds, cancellationToken);
            if (trial.Candidate.X == -4) throw new InvalidOperationException($"candidate {trial.Candidate} is refused");
            double score = GridSpace.Quadratic(trial.Candidate) + 0.01 * new Random(trial.Seed).NextDouble();
            reporter.Report(1, score + 1);
            return TrialResult.Completed(score);
        });

    private static async Task<InProcessTestCluster> StartCluster(int delayMilliseconds)
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) => silo.AddTrialWorkers(workers => workers.Add(Grid, _ => GridEvaluator(delayMilliseconds))));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private static Task<SearchResult<GridPoint>> Search(ITrialEvaluator<GridPoint> evaluator, int trials, IProgress<FinishedTrial<GridPoint>>? progress = null) =>
        new SearchRunner<GridPoint>(new RandomSearchStrategy<GridPoint>(new GridSpace(), seed: 4), evaluator,
            new SearchRunnerOptions { Seed = 4, TrialsPerRound = 4, Budget = new SearchBudget { MaxTrials = trials, MaxConcurrentTrials = 4 } }).RunAsync(progress);

    [TestMethod]
    public async Task ASearchOnTwoSilosGivesTheLocalResultAndUsesBoth()
    {
        await using var cluster = await StartCluster(delayMilliseconds: 50);
        var remote = new OrleansTrialEvaluator<GridPoint>(cluster.Client, Grid, SearchTesting.Error);
        var workers = new HashSet<string>();
        remote.Evaluated += (_, worker, _, _) => { lock (workers) workers.Add(worker); };

        var distributed = await Search(remote, 24);
        var local = await Search(GridEvaluator(0), 24);

        Assert.AreEqual(SearchTesting.WithoutTimings(local), SearchTesting.WithoutTimings(distributed), "seeded trials score the same wherever they run");
        Assert.HasCount(2, workers, "trials ran on both silos");
    }

    [TestMethod]
    public async Task AnEvaluatorErrorComesBackAsAFailedTrialWithItsMessage()
    {
        await using var cluster = await StartCluster(delayMilliseconds: 0);
        var remote = new OrleansTrialEvaluator<GridPoint>(cluster.Client, Grid, SearchTesting.Error);
        var result = await new SearchRunner<GridPoint>(new FixedListStrategy<GridPoint>([new GridPoint(-4, 0), new GridPoint(1, 1)]), remote,
            new SearchRunnerOptions { Budget = new SearchBudget { MaxTrials = 2 } }).RunAsync();
        Assert.AreEqual(TrialStatus.Failed, result.Trials[0].Result.Status);
        StringAssert.Contains(result.Trials[0].Result.ErrorMessage, "is refused");
        Assert.AreEqual(TrialStatus.Completed, result.Trials[1].Result.Status);
        Assert.AreEqual(0, remote.Retries, "the trial's own error is not re-run");
    }

    [TestMethod]
    public async Task ASiloStoppedMidSearchLosesNoTrial()
    {
        await using var cluster = await StartCluster(delayMilliseconds: 300);
        var remote = new OrleansTrialEvaluator<GridPoint>(cluster.Client, Grid, SearchTesting.Error, new OrleansTrialOptions { TrialTimeout = TimeSpan.FromSeconds(3) });
        var stopped = new TaskCompletionSource();
        int finished = 0;
        var progress = new SynchronousProgress<FinishedTrial<GridPoint>>(trial =>
        {
            if (Interlocked.Increment(ref finished) == 2) _ = Task.Run(async () => { await cluster.KillSiloAsync(cluster.Silos[1]); stopped.SetResult(); });
        });

        var distributed = await Search(remote, 16, progress);
        await stopped.Task;
        var local = await Search(GridEvaluator(0), 16);

        Assert.AreEqual(16, distributed.Trials.Count);
        Assert.AreEqual(SearchTesting.WithoutTimings(local), SearchTesting.WithoutTimings(distributed), "every trial finished, with the numbers it has anywhere");
        Assert.HasCount(1, cluster.Silos, "one silo is left");
    }

    [TestMethod]
    public async Task AHungAttemptIsReRunAfterItsTimeout()
    {
        await using var cluster = await StartCluster(delayMilliseconds: 0);
        var remote = new OrleansTrialEvaluator<GridPoint>(cluster.Client, Grid, SearchTesting.Error, new OrleansTrialOptions { TrialTimeout = TimeSpan.FromSeconds(1) });
        lock (HangOnce) HangOnce.Add(2);
        var distributed = await Search(remote, 6);
        var local = await Search(GridEvaluator(0), 6);
        Assert.AreEqual(1, remote.Retries);
        Assert.AreEqual(SearchTesting.WithoutTimings(local), SearchTesting.WithoutTimings(distributed));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new OrleansTrialEvaluator<GridPoint>(cluster.Client, Grid, SearchTesting.Error, new OrleansTrialOptions { MaxAttempts = 0 }));
    }
}
