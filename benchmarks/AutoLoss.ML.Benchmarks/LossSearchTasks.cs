using AutoLoss;
using AutoLoss.Core.Search;
using AutoLoss.Core.Training;

namespace AutoLoss.ML.Benchmarks;

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

    /// <summary>The clean and the 40%-noise proxy on the digits' training rows, MLP 500-300 student, <paramref name="epochs"/>
    /// epochs of the accuracy benchmark's SGD (lr 0.1, momentum 0.9, batch 100). Dispose the tasks' datasets after use
    /// (<see cref="Dispose"/>).</summary>
    public static IReadOnlyList<LossProxyTask> DigitsProxies(int epochs, double noise = 0.4)
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
        var task = TrainingTask.Multiclass(classes);
        var settings = new TrainingSettings { NumberOfEpochs = epochs, BatchSize = 100, LearningRate = 0.1, Device = ComputeDevice.Cpu };
        return
        [
            new LossProxyTask("digits-clean", task, DigitsTensors.Rows(digits, train, trainLabels), DigitsTensors.Rows(digits, validation, validationLabels), Mlp, settings),
            new LossProxyTask($"digits-noise{(int)Math.Round(noise * 100)}", task,
                DigitsTensors.Rows(digits, train, LabelNoise.Apply(trainLabels, classes, LabelNoiseKind.Symmetric, noise, TrainNoiseSeed)),
                DigitsTensors.Rows(digits, validation, LabelNoise.Apply(validationLabels, classes, LabelNoiseKind.Symmetric, noise, ValidationNoiseSeed)), Mlp, settings),
        ];
    }

    /// <summary>Releases the tasks' tensors.</summary>
    public static void Dispose(IReadOnlyList<LossProxyTask> tasks)
    {
        foreach (var task in tasks)
        {
            (task.Train as IDisposable)?.Dispose();
            task.Validation.Dispose();
        }
    }
}
