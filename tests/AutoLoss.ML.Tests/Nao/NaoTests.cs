using AutoLoss.Core.Search;
using AutoLoss.Core.Search.Nao;

namespace AutoLoss.ML.Tests.Nao;

/// <summary>NAO on the MLP space: sequences round-trip, the controller ranks architectures it did not train on, the
/// search beats random search at the same budget on a synthetic objective, respects a size limit, and restores.</summary>
[TestClass]
public sealed class NaoTests
{
    private static readonly MlpArchitectureSpace Space = new(maxDepth: 4);

    /// <summary>A synthetic accuracy with a known best architecture: 3 layers, widths index 4 (256), Gelu, no dropout.</summary>
    private static double Synthetic(int[] t)
    {
        double score = 1 - 0.08 * Math.Abs(t[0] - 3) - 0.05 * t[6];
        for (int i = 1; i <= t[0]; i++) score -= 0.02 * Math.Abs(t[i] - 4);
        return score - (t[5] == 2 ? 0 : 0.04);
    }

    private static DelegateTrialEvaluator<int[]> SyntheticEvaluator() =>
        new(SearchObjective.Maximize("accuracy"), (trial, _, _) => TrialResult.Completed(Synthetic(trial.Candidate)));

    [TestMethod]
    public void MlpSequencesDecodeToSpecsThatEncodeBackAndCountTheirParameters()
    {
        var random = new Random(1);
        for (int k = 0; k < 200; k++)
        {
            var tokens = Space.Sample(random);
            var spec = (MlpSpec)Space.Decode(tokens);
            CollectionAssert.AreEqual(tokens, Space.Encode(spec));
            foreach (var twin in Space.Equivalents(tokens, 3, random))
                CollectionAssert.AreEqual(tokens, Space.Canonical(twin), "an equivalent sequence is the same architecture");
            long expected = 0;
            int previous = 784;
            foreach (int width in spec.HiddenSizes.Append(10)) { expected += previous * width + width; previous = width; }
            Assert.AreEqual(expected, Space.ParameterCount(tokens, 784, 10));
        }
        Assert.ThrowsExactly<ArgumentException>(() => Space.Encode(new MlpSpec { HiddenSizes = [100] }), "a width outside the space");
    }

    [TestMethod]
    public void TheControllerRanksArchitecturesItWasNotTrainedOn()
    {
        var random = new Random(2);
        var all = Enumerable.Range(0, 400).Select(_ => Space.Sample(random)).DistinctBy(t => Space.Key(t)).Take(160)
            .Select(t => new EvaluatedArchitecture(t, Synthetic(t))).ToList();
        using var strategy = new NaoStrategy(Space, new NaoOptions { ControllerEpochs = 400 }, seed: 3);
        using var controller = strategy.TrainController(all.Take(100).ToList(), higherIsBetter: true, seed: 3);
        double heldOut = NaoStrategy.PairwiseAccuracy(controller, all.Skip(100).ToList(), higherIsBetter: true);
        Assert.IsGreaterThan(0.78, heldOut, "the paper's 78-80%");
    }

    [TestMethod]
    public async Task NaoFindsABetterArchitectureThanRandomSearchWithTheSameBudgetUnderASizeLimit()
    {
        var options = new NaoOptions { SeedArchitectures = 30, Rounds = 3, NewPerRound = 10, TopArchitectures = 10, MaxParameters = 400_000 };
        using var nao = new NaoStrategy(Space, options, seed: 5);
        var runner = new SearchRunnerOptions { Seed = 5, TrialsPerRound = 10, Budget = new SearchBudget { MaxTrials = 60, MaxConcurrentTrials = 1 } };
        var naoResult = await new SearchRunner<int[]>(nao, SyntheticEvaluator(), runner).RunAsync();
        var randomResult = await new SearchRunner<int[]>(new RandomSearchStrategy<int[]>(Space, seed: 5), SyntheticEvaluator(), runner).RunAsync();

        Assert.AreEqual(60, naoResult.Trials.Count);
        Assert.AreEqual(3, nao.Round);
        Assert.IsTrue(naoResult.Trials.All(t => Space.ParameterCount(t.Trial.Candidate, 784, 10) <= 400_000), "no proposal above the limit");
        Assert.IsGreaterThan(randomResult.Best!.Result.MetricValue, naoResult.Best!.Result.MetricValue);
    }

    [TestMethod]
    public async Task ARestoredNaoSearchProposesWhatTheSavedOneWould()
    {
        var options = new NaoOptions { SeedArchitectures = 20, Rounds = 2, NewPerRound = 5, ControllerEpochs = 100 };
        using var original = new NaoStrategy(Space, options, seed: 7);
        await new SearchRunner<int[]>(original, SyntheticEvaluator(),
            new SearchRunnerOptions { Seed = 7, TrialsPerRound = 5, Budget = new SearchBudget { MaxTrials = 25, MaxConcurrentTrials = 1 } }).RunAsync();
        using var saved = new MemoryStream();
        original.Save(saved);
        saved.Position = 0;
        using var restored = new NaoStrategy(Space, options, seed: 0);
        restored.Restore(saved);
        Assert.IsNotNull(restored.Controller, "the trained controller is part of the saved state");
        CollectionAssert.AreEqual(original.Ask(5).SelectMany(t => t).ToArray(), restored.Ask(5).SelectMany(t => t).ToArray());
    }
}
