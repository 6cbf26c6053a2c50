using AutoLoss.Core.Search;
using AutoLoss.Orleans;
using Orleans.TestingHost;

namespace AutoLoss.ML.Tests.Distributed;

/// <summary>What a worker sees of the client: two searches sharing a cluster run side by side, and an attempt the client
/// gives up on (time-out or a cancelled search) is cancelled on its worker too, so no abandoned trial keeps training there;
/// an evaluator that failed to build is built again for the next trial.</summary>
[TestClass]
public sealed class WorkerCancellationTests
{
    private const string Meet = "meet", Hang = "hang";

    /// <summary>Running "meet" trials wait here until two of them run at once (the silos run in this process).</summary>
    private static TaskCompletionSource _bothRunning = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private static int _meeting;

    /// <summary>Set when a "hang" trial starts, and when its worker-side token is cancelled.</summary>
    private static TaskCompletionSource _hangStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private static TaskCompletionSource _hangCancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static async Task<InProcessTestCluster> StartCluster()
    {
        _bothRunning = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _meeting = 0;
        _hangStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _hangCancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) => silo.AddTrialWorkers(workers => workers
            .Add(Meet, _ => new DelegateTrialEvaluator<GridPoint>(SearchTesting.Error, async (trial, _, cancellationToken) =>
            {
                if (Interlocked.Increment(ref _meeting) == 2) _bothRunning.TrySetResult();
                await _bothRunning.Task.WaitAsync(cancellationToken);
                return TrialResult.Completed(GridSpace.Quadratic(trial.Candidate));
            }))
            .Add(Hang, _ => new DelegateTrialEvaluator<GridPoint>(SearchTesting.Error, async (_, _, cancellationToken) =>
            {
                using var registration = cancellationToken.Register(() => _hangCancelled.TrySetResult());
                _hangStarted.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
                return TrialResult.Completed(0);
            }))));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private static Task<SearchResult<GridPoint>> OneTrial(ITrialEvaluator<GridPoint> evaluator, CancellationToken cancellationToken = default) =>
        new SearchRunner<GridPoint>(new FixedListStrategy<GridPoint>([new GridPoint(1, 1)]), evaluator,
            new SearchRunnerOptions { Budget = new SearchBudget { MaxTrials = 1 } }).RunAsync(cancellationToken: cancellationToken);

    [TestMethod]
    public async Task TwoSearchesOnOneClusterRunTheirTrialsSideBySide()
    {
        await using var cluster = await StartCluster();
        // Both searches send trial 0 as their first attempt; each must reach its own activation, or the second queues
        // behind the first, which waits for it, and both time out.
        var options = new OrleansTrialOptions { TrialTimeout = TimeSpan.FromSeconds(5), MaxAttempts = 1 };
        var first = OneTrial(new OrleansTrialEvaluator<GridPoint>(cluster.Client, Meet, SearchTesting.Error, options));
        var second = OneTrial(new OrleansTrialEvaluator<GridPoint>(cluster.Client, Meet, SearchTesting.Error, options));
        var results = await Task.WhenAll(first, second);
        foreach (var result in results)
            Assert.AreEqual(TrialStatus.Completed, result.Trials[0].Result.Status, result.Trials[0].Result.ErrorMessage);
    }

    [TestMethod]
    public async Task ATimedOutAttemptIsCancelledOnItsWorker()
    {
        await using var cluster = await StartCluster();
        var remote = new OrleansTrialEvaluator<GridPoint>(cluster.Client, Hang, SearchTesting.Error,
            new OrleansTrialOptions { TrialTimeout = TimeSpan.FromMilliseconds(500), MaxAttempts = 1 });
        var result = await OneTrial(remote);
        Assert.AreEqual(TrialStatus.Failed, result.Trials[0].Result.Status);
        StringAssert.Contains(result.Trials[0].Result.ErrorMessage, "MaxAttempts");
        await _hangCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [TestMethod]
    public async Task CancellingTheSearchCancelsTheTrialOnItsWorker()
    {
        await using var cluster = await StartCluster();
        var remote = new OrleansTrialEvaluator<GridPoint>(cluster.Client, Hang, SearchTesting.Error);
        using var cancel = new CancellationTokenSource();
        var search = OneTrial(remote, cancel.Token);
        await _hangStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancel.CancelAsync();
        var result = await search.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.AreEqual(SearchStopReason.Cancelled, result.StopReason);
        Assert.AreEqual(TrialStatus.Cancelled, result.Trials[0].Result.Status);
        await _hangCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [TestMethod]
    public async Task AWorkerWhoseEvaluatorFailedToBuildBuildsItAgainForTheNextTrial()
    {
        var runs = 0;
        var catalog = new TrialWorkerCatalog(new EmptyServices(),
            [new TrialWorkerRegistration("flaky", _ => ++runs == 1
                ? throw new IOException("training data not mounted yet")
                : WorkerEvaluator.For<GridPoint>(new DelegateTrialEvaluator<GridPoint>(SearchTesting.Error, (trial, _, _) =>
                    Task.FromResult(TrialResult.Completed(GridSpace.Quadratic(trial.Candidate))))))]);
        var request = new TrialRequest("flaky", 0, 1, SearchJson.Serialize(new GridPoint(1, 1)));
        await Assert.ThrowsExactlyAsync<IOException>(() => catalog.EvaluateAsync(request, CancellationToken.None));
        var result = SearchJson.Deserialize<TrialResult>(await catalog.EvaluateAsync(request with { TrialId = 1 }, CancellationToken.None));
        Assert.AreEqual(TrialStatus.Completed, result.Status, result.ErrorMessage);
        Assert.AreEqual(2, runs);
    }

    private sealed class EmptyServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}
