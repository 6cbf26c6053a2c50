using AutoLoss.Core.Search;
using AutoLoss.Core.Search.Nao;

namespace AutoLoss.ML.Tests.Nao;

/// <summary>The convolutional architecture space: sequences decode to buildable CNNs that encode back, parameter counts
/// match the built network, and NAO searches it.</summary>
[TestClass]
public sealed class ConvArchitectureSpaceTests
{
    private static readonly ConvArchitectureSpace Space = new(1, 28, 28, maxBlocks: 3);

    [TestMethod]
    public void CnnSequencesBuildNetworksThatEncodeBackAndCountTheirParameters()
    {
        var random = new Random(3);
        for (int k = 0; k < 12; k++)
        {
            var tokens = Space.Sample(random);
            var spec = Space.Decode(tokens);
            CollectionAssert.AreEqual(tokens, Space.Encode(spec));
            foreach (var twin in Space.Equivalents(tokens, 2, random)) CollectionAssert.AreEqual(tokens, Space.Canonical(twin));
            using var module = spec.Build(784, 10);
            Assert.AreEqual(module.parameters().Sum(p => p.numel()), Space.ParameterCount(tokens, 784, 10), spec.ToString());
        }
        Assert.ThrowsExactly<ArgumentException>(() => Space.Encode(ConvNetSpec.LeNet5()), "LeNet-5's unpadded second block is not in this space");
    }

    [TestMethod]
    public async Task NaoSearchesTheCnnSpace()
    {
        // A synthetic score that prefers two blocks of 32 channels with max pooling.
        static double Score(int[] t) => 1 - 0.1 * Math.Abs(t[0] - 1) - 0.05 * (Math.Abs(t[1] - 2) + Math.Abs(t[6] - 2)) - (t[3] == 1 ? 0 : 0.05);
        using var nao = new NaoStrategy(Space, new NaoOptions { SeedArchitectures = 16, Rounds = 2, NewPerRound = 6, ControllerEpochs = 100, MaxParameters = 200_000 }, seed: 2);
        var result = await new SearchRunner<int[]>(nao, new DelegateTrialEvaluator<int[]>(SearchObjective.Maximize("score"), (t, _, _) => TrialResult.Completed(Score(t.Candidate))),
            new SearchRunnerOptions { Seed = 2, Budget = new SearchBudget { MaxTrials = 28, MaxConcurrentTrials = 1 } }).RunAsync();
        Assert.AreEqual(28, result.Trials.Count);
        Assert.AreEqual(2, nao.Round);
        Assert.IsTrue(result.Trials.All(t => Space.ParameterCount(t.Trial.Candidate, 784, 10) <= 200_000));
    }
}
