using AutoLoss.Core.Data;
using AutoLoss.Core.Students;
using AutoLoss.Core.Teaching;

namespace AutoLoss.Core.Training;

/// <summary>What to train: the student's architecture, the data and the loss.</summary>
public sealed class TrainingProblem
{
    /// <summary>Architecture of the student.</summary>
    public required StudentSpec Student { get; init; }

    /// <summary>Number of classes C (output width of the student).</summary>
    public required int NumberOfClasses { get; init; }

    /// <summary>Training batches.</summary>
    public required ITrainingBatchSource Train { get; init; }

    /// <summary>Validation data on the training device, or null.</summary>
    public InMemoryDataset? Validation { get; init; }

    /// <summary>What the student minimises. Default cross-entropy.</summary>
    public LossOptions Loss { get; init; } = LossOptions.CrossEntropy();
}
