using AutoLoss.Core.Search;
using AutoLoss.Core.Search.LossEvolution;

namespace AutoLoss.ML.Tests.LossExpressions;

/// <summary>AutoLoss-Zero: the random space, the loss-rejection protocol, the gradient-equivalence check, and the
/// evolution on the search layer (progress over generations, save and restore, a real proxy-training search).</summary>
[TestClass]
public sealed class ExpressionEvolutionTests
{
    private static ExpressionLoss Loss(string text) => new(LossExpression.Parse(text));

    [TestMethod]
    public void RandomExpressionsUseThePredictionAndTheLabelWithinTheHeightLimit()
    {
        var space = new ExpressionSearchSpace(maxInitialHeight: 4);
        var random = new Random(1);
        var drawn = Enumerable.Range(0, 300).Select(_ => space.Sample(random)).ToList();
        Assert.IsTrue(drawn.All(e => e.UsesPrediction && e.UsesLabel && e.Height <= 4));
        Assert.IsGreaterThan(150, drawn.Select(e => e.ToString()).Distinct().Count(), "the space is not a handful of trees");
        Assert.IsTrue(drawn.All(e => LossExpression.Parse(e.ToString()).Equals(e)), "every random tree round-trips through its text");
    }

    [TestMethod]
    public void RejectionProtocolKeepsLossesThatFitPredictionsAndRejectsTheRest()
    {
        var protocol = new LossRejectionProtocol();
        Assert.IsTrue(protocol.Accepts(Loss("-(y * log(p))"), 10), "cross-entropy");
        Assert.IsTrue(protocol.Accepts(Loss("-(y * p)"), 10), "the linear (MAE-like) loss");
        Assert.IsFalse(protocol.Accepts(Loss("y * log(p)"), 10), "cross-entropy with the wrong sign");
        Assert.IsFalse(protocol.Accepts(Loss("square(p) * y"), 10), "a loss minimised by ignoring the label's class");
        Assert.IsLessThan(0.2, protocol.OptimisedAccuracy(Loss("y * log(p)"), 10));
    }

    [TestMethod]
    public void GradientSignatureMatchesRewrittenLossesAndSeparatesDifferentOnes()
    {
        var signature = new GradientSignature();
        string ce = signature.Of(Loss("-(y * log(p))"), 5)!;
        Assert.AreEqual(ce, signature.Of(Loss("-(log(p) * y)"), 5), "operands swapped");
        Assert.AreEqual(ce, signature.Of(Loss("1 - y * log(p) - 1"), 5), "a constant added and removed");
        Assert.AreNotEqual(ce, signature.Of(Loss("-(2 * y * log(p))"), 5), "a scaled loss has other gradients");
        Assert.AreNotEqual(ce, signature.Of(Loss("-(y * p)"), 5));
    }

    /// <summary>A cheap synthetic fitness (lower is better): how far the optimised-accuracy of free logits is from 1, plus a
    /// size penalty, so the evolution has something to improve without training students.</summary>
    private static DelegateTrialEvaluator<LossExpression> SyntheticEvaluator() =>
        new(new SearchObjective("error", higherIsBetter: false), (trial, _, _) =>
        {
            var loss = new ExpressionLoss(trial.Candidate);
            double accuracy = new LossRejectionProtocol { Steps = 20 }.OptimisedAccuracy(loss, 4);
            return TrialResult.Completed(1 - accuracy + 0.01 * trial.Candidate.Size);
        });

    private static ExpressionEvolutionOptions SmallEvolution() => new()
    {
        PopulationSize = 8,
        Generations = 4,
        MaxInitialHeight = 3,
        Rejection = new LossRejectionProtocol { Steps = 40, MinimumAccuracy = 0.5 },
    };

    [TestMethod]
    public async Task EvolutionImprovesItsBestOverGenerationsAndCountsWhatItsFiltersSaved()
    {
        var strategy = new ExpressionEvolutionStrategy(SmallEvolution(), numberOfClasses: 4, seed: 3);
        var result = await new SearchRunner<LossExpression>(strategy, SyntheticEvaluator(),
            new SearchRunnerOptions { Seed = 3, Budget = new SearchBudget { MaxTrials = 1000, MaxConcurrentTrials = 2 } }).RunAsync();

        Assert.AreEqual(SearchStopReason.StrategyExhausted, result.StopReason);
        Assert.HasCount(4, strategy.History);
        Assert.IsLessThanOrEqualTo(strategy.History[0].BestFitness, strategy.History[^1].BestFitness, "elitism never loses the best");
        Assert.IsTrue(strategy.History.All(g => g.Best.Length > 0));
        Assert.AreEqual(result.Trials.Count, strategy.Counts.Trained);
        Assert.IsGreaterThan(0, strategy.Counts.Rejected, "most random trees cannot fit free logits");
        Assert.IsTrue(strategy.Population.All(s => LossExpression.Parse(s.Expression) is { UsesLabel: true, UsesPrediction: true }));
    }

    [TestMethod]
    public async Task ARestoredEvolutionProposesWhatTheSavedOneWould()
    {
        var options = SmallEvolution();
        var original = new ExpressionEvolutionStrategy(options, 4, seed: 8);
        var runner = new SearchRunnerOptions { Seed = 8, Budget = new SearchBudget { MaxTrials = 12, MaxConcurrentTrials = 1 } };
        await new SearchRunner<LossExpression>(original, SyntheticEvaluator(), runner).RunAsync();

        using var saved = new MemoryStream();
        original.Save(saved);
        saved.Position = 0;
        var restored = new ExpressionEvolutionStrategy(options, 4, seed: 999);
        restored.Restore(saved);

        var next = original.Ask(5).Select(e => e.ToString()).ToList();
        CollectionAssert.AreEqual(next, restored.Ask(5).Select(e => e.ToString()).ToList());
        Assert.IsNotEmpty(next);
    }

    [TestMethod]
    public async Task AutoLossZeroFindsALossThatTrainsAStudentAndItsArtefactRoundTrips()
    {
        using var train = TestData.Blobs(240, seed: 1);
        using var validation = TestData.Blobs(120, seed: 2);
        var evaluator = TestData.BlobsLossEvaluator<LossExpression>(train, validation, LossOptions.Expression);
        var evolution = new ExpressionEvolutionOptions { PopulationSize = 6, Generations = 2, MaxInitialHeight = 3, InitialExpressions = [LossExpression.Parse("-(y * log(p))")] };

        var searched = await AutoLossZeroSearch.RunAsync(evaluator, 3, evolution, new SearchRunnerOptions { Seed = 4, Budget = new SearchBudget { MaxTrials = 50, MaxConcurrentTrials = 2 } });

        Assert.AreEqual("AutoLoss-Zero", searched.Method);
        Assert.IsGreaterThan(0.8, searched.Fitness, "the best loss trains the blobs to high validation accuracy");
        Assert.IsTrue(searched.HigherIsBetter);
        Assert.HasCount(2, searched.Generations);
        Assert.IsGreaterThan(0, searched.Cost["trained"]);
        Assert.IsGreaterThan(0, searched.Cost["wallSeconds"]);

        using var stream = new MemoryStream();
        searched.Save(stream);
        stream.Position = 0;
        var loaded = SearchedLoss.Load(stream);
        Assert.AreEqual(searched.Expression, loaded.Expression);
        Assert.AreEqual(searched.Settings["populationSize"], loaded.Settings["populationSize"]);
        Assert.AreEqual($"LossOptions.Expression(\"{searched.Expression}\")", loaded.ToLossOptions().ToString());
    }

    [TestMethod]
    public async Task CancellingALossSearchReturnsTheBestLossSoFar()
    {
        using var cancel = new CancellationTokenSource();
        int finished = 0;
        var progress = new SynchronousProgress<FinishedTrial<LossExpression>>(_ => { if (Interlocked.Increment(ref finished) == 3) cancel.Cancel(); });
        var searched = await AutoLossZeroSearch.RunAsync(SyntheticEvaluator(), 4, SmallEvolution(),
            new SearchRunnerOptions { Seed = 2, TrialsPerRound = 1, Budget = new SearchBudget { MaxTrials = 1000, MaxConcurrentTrials = 1 } }, progress, cancel.Token);
        Assert.AreEqual(3, searched.Cost["trained"], "the search stops at the next round after the cancellation");
        Assert.IsNotNull(searched.Parse());
    }

    [TestMethod]
    public void ADamagedSearchedLossFileIsRefused()
    {
        using var stream = new MemoryStream("{\"method\":\"x\",\"expression\":\"p + * y\",\"metricName\":\"error\"}"u8.ToArray());
        Assert.ThrowsExactly<InvalidDataException>(() => SearchedLoss.Load(stream));
    }

    [TestMethod]
    public void EvolutionOptionsOutOfRangeAreRefusedByName()
    {
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new ExpressionEvolutionStrategy(new ExpressionEvolutionOptions { PopulationSize = 1 }, 3, 0)).Message, "PopulationSize");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new ExpressionEvolutionStrategy(new ExpressionEvolutionOptions { MaxHeight = 3 }, 3, 0)).Message, "MaxHeight");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new ExpressionEvolutionStrategy(new ExpressionEvolutionOptions { InitialExpressions = [LossExpression.Parse("log(p)")] }, 3, 0)).Message, "InitialExpressions");
    }

}
