using AutoLoss;
using AutoLoss.ML.Datasets;
using Microsoft.ML;

namespace AutoLoss.ML.Benchmarks;

/// <summary>A classification task: a fixed train/test split (the same for every seed) and the student the AdaptiveLoss
/// methods train on it (a fresh spec per run).</summary>
internal sealed record BenchmarkTask(string Name, int NumberOfClasses, Func<MLContext, (IDataView Train, IDataView Test)> Load, Func<StudentSpec> Student);

/// <summary>The tasks the accuracy benchmark knows; add one line per new task.</summary>
internal static class Tasks
{
    public static readonly IReadOnlyDictionary<string, BenchmarkTask> All = new Dictionary<string, BenchmarkTask>(StringComparer.OrdinalIgnoreCase)
    {
        // 10,000 embedded MNIST digits, fixed stratified 8,000/2,000 split.
        ["digits"] = new("digits", Digits.ClassCount, ml => Digits.LoadSplit(ml), () => new MlpSpec { HiddenSizes = [500, 300] }),
        // The same split seen as 1x28x28 images (the features are the pixels in CHW order) by a LeNet-5 student.
        ["digits-images"] = new("digits-images", Digits.ClassCount, ml => Digits.LoadSplit(ml), () => ConvNetSpec.LeNet5()),
        // The digits split with 20/40/60% of the training labels flipped to another class (symmetric noise, one fixed
        // noise seed for every method and student seed); the test labels stay clean.
        ["digits-noise20"] = Noisy(0.2),
        ["digits-noise40"] = Noisy(0.4),
        ["digits-noise60"] = Noisy(0.6),
        // A generated task for transfer: 5 Gaussian clusters in 20 features (separation 2.5), 4,000 training rows with
        // 40% symmetric label noise, 2,000 clean test rows, MLP 256-128.
        ["clusters-noise40"] = new("clusters-noise40", 5,
            ml => LabelNoise.ClustersWithNoisyTraining(ml, 4000, 2000, 20, 5, 2.5f, LabelNoiseKind.Symmetric, 0.4, seed: 2025), () => new MlpSpec { HiddenSizes = [256, 128] }),
        // A generated task whose best student differs from the digits': 4 bands of a random two-layer tanh teacher network
        // (16 units per layer, gain 1.5) over 10 Gaussian features, 10,000 rows split 8,000/2,000, MLP 500-300.
        ["teacher"] = new("teacher", 4, ml =>
        {
            var rows = SyntheticData.TeacherNetwork(ml, 10_000, 10, 4, seed: 2026, hiddenUnits: 16, gain: 1.5f);
            return (ml.Data.TakeRows(rows, 8_000), ml.Data.SkipRows(rows, 8_000));
        }, () => new MlpSpec { HiddenSizes = [500, 300] }),
    };

    /// <summary>Seed of the label flips of the noisy digits tasks.</summary>
    public const int NoiseSeed = 2021;

    private static BenchmarkTask Noisy(double rate) => new($"digits-noise{(int)Math.Round(rate * 100)}", Digits.ClassCount,
        ml => LabelNoise.DigitsWithNoisyTraining(ml, LabelNoiseKind.Symmetric, rate, NoiseSeed), () => new MlpSpec { HiddenSizes = [500, 300] });
}
