using AutoLoss.Core.Search;

namespace AutoLoss.ML.Tests;

[TestClass]
public sealed class SearchRandomStrategyTests
{
    [TestMethod]
    public async Task RandomSearchFindsTheQuadraticsMinimumAndProposesEveryGridPointOnce()
    {
        var strategy = new RandomSearchStrategy<GridPoint>(new GridSpace(), seed: 3);
        var runner = new SearchRunner<GridPoint>(strategy, SearchTesting.QuadraticEvaluator(), SearchTesting.Options(maxTrials: 200));

        var result = await runner.RunAsync();

        Assert.AreEqual(SearchStopReason.StrategyExhausted, result.StopReason, "81 distinct points, then nothing new to propose");
        Assert.HasCount(81, result.Trials);
        CollectionAssert.AreEquivalent(GridSpace.All.ToList(), result.Trials.Select(t => t.Trial.Candidate).ToList());
        Assert.AreEqual(GridSpace.Optimum, result.Best!.Trial.Candidate);
        Assert.AreEqual(0.0, result.Best.Result.MetricValue);
        CollectionAssert.AreEqual(Enumerable.Range(0, 81).ToList(), result.Trials.Select(t => t.Trial.Id).ToList());
    }

    [TestMethod]
    public async Task RestoredStrategyContinuesWithTheSameTrialsAsAnUninterruptedSearch()
    {
        var space = new GridSpace();
        var evaluator = SearchTesting.QuadraticEvaluator();
        var uninterrupted = await new SearchRunner<GridPoint>(new RandomSearchStrategy<GridPoint>(space, seed: 11), evaluator,
            SearchTesting.Options(maxTrials: 20, perRound: 5)).RunAsync();

        var first = new RandomSearchStrategy<GridPoint>(space, seed: 11);
        var firstPart = await new SearchRunner<GridPoint>(first, evaluator, SearchTesting.Options(maxTrials: 8, perRound: 5)).RunAsync();
        using var saved = new MemoryStream();
        first.Save(saved);
        saved.Position = 0;
        var restored = new RandomSearchStrategy<GridPoint>(space, seed: 999);
        restored.Restore(saved);
        var continuationOptions = SearchTesting.Options(maxTrials: 12, perRound: 5);
        continuationOptions.FirstTrialId = firstPart.NextTrialId;
        var secondPart = await new SearchRunner<GridPoint>(restored, evaluator, continuationOptions).RunAsync();

        Assert.AreEqual(11, restored.Seed, "the saved seed replaces the constructor's");
        var joined = firstPart.Trials.Concat(secondPart.Trials).Select(t => t.Trial).ToList();
        CollectionAssert.AreEqual(uninterrupted.Trials.Select(t => t.Trial).ToList(), joined, "same ids, candidates and seeds");
    }

    [TestMethod]
    public void RestoredStrategyKeepsItsDuplicateMemoryAndExhaustsLikeTheOriginal()
    {
        var space = new GridSpace();
        var original = new RandomSearchStrategy<GridPoint>(space, seed: 2, maxConsecutiveDuplicates: 200);
        var head = original.Ask(70);
        using var saved = new MemoryStream();
        original.Save(saved);
        saved.Position = 0;
        var restored = new RandomSearchStrategy<GridPoint>(space, seed: 2, maxConsecutiveDuplicates: 200);
        restored.Restore(saved);

        var tailOriginal = original.Ask(50);
        var tailRestored = restored.Ask(50);

        CollectionAssert.AreEqual(tailOriginal.ToList(), tailRestored.ToList());
        Assert.HasCount(11, tailRestored, "only the 11 unproposed grid points are left");
        Assert.IsEmpty(head.Intersect(tailRestored).ToList(), "no candidate is proposed twice across the save");
        Assert.IsTrue(restored.IsExhausted);
        Assert.IsEmpty(restored.Ask(1));
    }

    [TestMethod]
    public void StateIsSelfDelimitingSoOtherDataMayFollowIt()
    {
        var strategy = new RandomSearchStrategy<GridPoint>(new GridSpace(), seed: 4);
        strategy.Ask(3);
        using var stream = new MemoryStream();
        strategy.Save(stream);
        new BinaryWriter(stream).Write(1234);
        stream.Position = 0;

        var restored = new RandomSearchStrategy<GridPoint>(new GridSpace(), seed: 4);
        restored.Restore(stream);

        Assert.AreEqual(1234, new BinaryReader(stream).ReadInt32());
        Assert.AreEqual(3, restored.ProposedCount);
    }

    [TestMethod]
    public void RestoringFromSomethingElseFailsWithInvalidData()
    {
        var strategy = new RandomSearchStrategy<GridPoint>(new GridSpace(), seed: 4);
        Assert.ThrowsExactly<InvalidDataException>(() => strategy.Restore(new MemoryStream()));
        using var other = new MemoryStream();
        new FixedListStrategy<GridPoint>([]).Save(other);
        other.Position = 0;
        Assert.ThrowsExactly<InvalidDataException>(() => strategy.Restore(other));
    }

    [TestMethod]
    public void InvalidDuplicateLimitIsRejectedWithItsName()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => new RandomSearchStrategy<GridPoint>(new GridSpace(), 1, maxConsecutiveDuplicates: 0));
        Assert.Contains("maxConsecutiveDuplicates", error.Message);
    }
}
