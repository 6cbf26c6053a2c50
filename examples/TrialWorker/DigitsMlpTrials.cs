using AutoLoss;
using AutoLoss.Core.Data;
using AutoLoss.Core.Search;
using AutoLoss.Core.Training;
using static TorchSharp.torch;

namespace AutoLoss.TrialWorker;

/// <summary>
/// The evaluator this worker offers as <see cref="Name"/>: a candidate is an MLP's hidden sizes (an int array, JSON
/// <c>[256, 128]</c>), trained on the first <see cref="TrainRows"/> of the embedded digits' training rows and scored by
/// accuracy on the next <see cref="ValidationRows"/>. The data is loaded once, when the silo builds the evaluator.
/// </summary>
public static class DigitsMlpTrials
{
    /// <summary>The name trials ask for.</summary>
    public const string Name = "digits-mlp";

    /// <summary>Training rows of one trial.</summary>
    public const int TrainRows = 4000;

    /// <summary>Validation rows (the metric is measured there).</summary>
    public const int ValidationRows = 2000;

    /// <summary>The evaluator: <paramref name="epochs"/> epochs of SGD (lr 0.1, momentum 0.9, batch 100) per trial.</summary>
    public static TrainingTrialEvaluator<int[]> Evaluator(int epochs)
    {
        var digits = Digits.LoadArrays();
        var train = Dataset(digits, digits.TrainIndices[..TrainRows]);
        var validation = Dataset(digits, digits.TrainIndices[TrainRows..(TrainRows + ValidationRows)]);
        var task = TrainingTask.Multiclass(Digits.ClassCount);
        var settings = new TrainingSettings { NumberOfEpochs = epochs, BatchSize = 100, LearningRate = 0.1, Device = ComputeDevice.Cpu };
        return new TrainingTrialEvaluator<int[]>(task,
            trial => new TrainingProblem { Student = new MlpSpec { HiddenSizes = trial.Candidate }, Task = task, Train = train, Validation = validation },
            _ => settings);
    }

    private static InMemoryDataset Dataset(DigitsArrays digits, int[] rows) =>
        new(digits.GatherFeatures(rows), Array.ConvertAll(digits.GatherLabels(rows), l => (long)l), null, digits.FeatureCount, CPU);
}
