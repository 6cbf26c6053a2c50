using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Tests.Robustness;

/// <summary>Seeded label noise, on the training part only.</summary>
[TestClass]
public sealed class LabelNoiseTests
{
    private static readonly int[] Clean = Enumerable.Range(0, 10_000).Select(i => i % 10).ToArray();

    [TestMethod]
    public void SymmetricNoiseFlipsTheRateToOtherClassesUniformlyAndASeedRepeatsIt()
    {
        var noisy = LabelNoise.Apply(Clean, 10, LabelNoiseKind.Symmetric, 0.4, seed: 3);
        CollectionAssert.AreEqual(noisy, LabelNoise.Apply(Clean, 10, LabelNoiseKind.Symmetric, 0.4, seed: 3));
        CollectionAssert.AreNotEqual(noisy, LabelNoise.Apply(Clean, 10, LabelNoiseKind.Symmetric, 0.4, seed: 4));
        double flipped = Clean.Zip(noisy).Count(p => p.First != p.Second) / (double)Clean.Length;
        Assert.AreEqual(0.4, flipped, 0.02);
        // Flips of class 0 land on each of the nine others about equally (expected ~ 4000 flips / 10 classes / 9).
        var targets = Clean.Zip(noisy).Where(p => p.First == 0 && p.Second != 0).GroupBy(p => p.Second).ToDictionary(g => g.Key, g => g.Count());
        Assert.HasCount(9, targets);
        Assert.IsTrue(targets.Values.All(n => n is > 20 and < 75), string.Join(", ", targets));
        CollectionAssert.AreEqual(Clean, LabelNoise.Apply(Clean, 10, LabelNoiseKind.Symmetric, 0, seed: 3), "rate 0 changes nothing");
    }

    [TestMethod]
    public void PairwiseNoiseMovesAFlippedLabelToTheNextClass()
    {
        var noisy = LabelNoise.Apply(Clean, 10, LabelNoiseKind.Pairwise, 0.3, seed: 1);
        var flips = Clean.Zip(noisy).Where(p => p.First != p.Second).ToList();
        Assert.AreEqual(0.3, flips.Count / (double)Clean.Length, 0.02);
        Assert.IsTrue(flips.All(p => p.Second == (p.First + 1) % 10));
    }

    [TestMethod]
    public void NoisyDigitsChangeOnlyTheTrainingLabels()
    {
        var ml = new MLContext(seed: 1);
        var (cleanTrain, cleanTest) = Digits.LoadSplit(ml);
        var (noisyTrain, noisyTest) = LabelNoise.DigitsWithNoisyTraining(ml, LabelNoiseKind.Symmetric, 0.2, seed: 7);
        var train = cleanTrain.GetColumn<float>("Label").Zip(noisyTrain.GetColumn<float>("Label")).ToList();
        Assert.AreEqual(0.2, train.Count(p => p.First != p.Second) / (double)train.Count, 0.02);
        CollectionAssert.AreEqual(cleanTest.GetColumn<float>("Label").ToArray(), noisyTest.GetColumn<float>("Label").ToArray(), "the test split stays clean");
        Assert.AreEqual(cleanTrain.GetColumn<float[]>("Features").First()[200], noisyTrain.GetColumn<float[]>("Features").First()[200]);
        Assert.Throws<ArgumentOutOfRangeException>(() => LabelNoise.Apply(Clean, 10, LabelNoiseKind.Symmetric, 1.5, seed: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => LabelNoise.Apply([3, 11], 10, LabelNoiseKind.Symmetric, 0.1, seed: 1));
    }
}
