using AutoLoss;
using AutoLoss.Core.Data;
using AutoLoss.Core.Training;
using static TorchSharp.torch;

namespace AutoLoss.ML.Benchmarks;

/// <summary>One proxy task of a loss search: training and validation tensors and the student the candidate trains.</summary>
internal sealed record ProxyTask(string Name, InMemoryDataset Train, InMemoryDataset Validation, Func<StudentSpec> Student) : IDisposable
{
    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
    }
}

/// <summary>
/// The loss searches' proxy tasks, all cut from the digits' 8,000 training rows (the 2,000 test rows, on which the
/// searched losses are reported, are never seen): a seeded shuffle splits them into 6,000 search-training and 2,000
/// search-validation rows. The noisy task flips 40% of both parts' labels (symmetric; its own noise seeds, not the
/// accuracy benchmark's), since a user searching for a noise-robust loss has only noisy labels to validate on.
/// </summary>
internal static class LossSearchTasks
{
    public const int SearchTrainRows = 6_000;
    private const int SplitSeed = 11, TrainNoiseSeed = 12, ValidationNoiseSeed = 13;

    /// <summary>The clean and the 40%-noise proxy on the digits' training rows, MLP 500-300 student.</summary>
    public static IReadOnlyList<ProxyTask> DigitsProxies(double noise = 0.4)
    {
        var digits = Digits.LoadArrays();
        var rows = digits.TrainIndices.ToArray();
        new Random(SplitSeed).Shuffle(rows);
        var train = rows[..SearchTrainRows];
        var validation = rows[SearchTrainRows..];
        var trainLabels = digits.GatherLabels(train);
        var validationLabels = digits.GatherLabels(validation);
        int classes = Digits.ClassCount;
        StudentSpec Mlp() => new MlpSpec { HiddenSizes = [500, 300] };
        return
        [
            new ProxyTask("digits-clean", Dataset(digits, train, trainLabels), Dataset(digits, validation, validationLabels), Mlp),
            new ProxyTask($"digits-noise{(int)Math.Round(noise * 100)}",
                Dataset(digits, train, LabelNoise.Apply(trainLabels, classes, LabelNoiseKind.Symmetric, noise, TrainNoiseSeed)),
                Dataset(digits, validation, LabelNoise.Apply(validationLabels, classes, LabelNoiseKind.Symmetric, noise, ValidationNoiseSeed)), Mlp),
        ];
    }

    /// <summary>The settings of one proxy training run: the accuracy benchmark's SGD (lr 0.1, momentum 0.9, batch 100).</summary>
    public static TrainingSettings Settings(int epochs) => new() { NumberOfEpochs = epochs, BatchSize = 100, LearningRate = 0.1, Device = ComputeDevice.Cpu };

    private static InMemoryDataset Dataset(DigitsArrays digits, int[] rows, int[] labels) =>
        new(digits.GatherFeatures(rows), Array.ConvertAll(labels, l => (long)l), null, digits.FeatureCount, CPU);
}
