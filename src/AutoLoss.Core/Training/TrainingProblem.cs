using AutoLoss.Core.Data;
using AutoLoss.Core.Teaching;

namespace AutoLoss.Core.Training;

/// <summary>What to train: the task, the student's architecture, the data and the loss.</summary>
public sealed class TrainingProblem
{
    private readonly TrainingTask? _task;

    /// <summary>Architecture of the student.</summary>
    public required StudentSpec Student { get; init; }

    /// <summary>What the student predicts: <see cref="TrainingTask.Multiclass"/> or
    /// <see cref="TrainingTask.Regression"/>. Set it or <see cref="NumberOfClasses"/>.</summary>
    /// <exception cref="InvalidOperationException">Read before either was set.</exception>
    public TrainingTask Task
    {
        get => _task ?? throw new InvalidOperationException("TrainingProblem.Task is not set; set Task (TrainingTask.Multiclass(C) or TrainingTask.Regression) or NumberOfClasses.");
        init => _task = value ?? throw new ArgumentNullException(nameof(Task));
    }

    /// <summary>Setting it is shorthand for <c>Task = TrainingTask.Multiclass(C)</c>; reads the class count of a
    /// classification task, 0 for any other.</summary>
    public int NumberOfClasses
    {
        get => (Task as ClassificationTask)?.NumberOfClasses ?? 0;
        init => _task = TrainingTask.Multiclass(value);
    }

    /// <summary>Training batches (labels of the task's <see cref="TrainingTask.LabelType"/>).</summary>
    public required ITrainingBatchSource Train { get; init; }

    /// <summary>The training rows and the validation rows together, for <see cref="TrainingSettings.RefitOnAllData"/>;
    /// null otherwise.</summary>
    public ITrainingBatchSource? TrainAndValidation { get; init; }

    /// <summary>Validation data on the training device, or null.</summary>
    public InMemoryDataset? Validation { get; init; }

    /// <summary>Regression only: the factor the caller divided the targets by (after centring them),
    /// e.g. their standard deviation, so that one learning rate suits labels of any magnitude. The loop
    /// multiplies the epoch's train loss and validation mean squared error by its square, so they are
    /// reported in the label's own units. Positive and finite; default 1 (targets as they are).</summary>
    public double TargetScale { get; init; } = 1;

    /// <summary>What the student minimises. Default null: the task's own (<see cref="TrainingTask.CreateDefaultLoss"/>).</summary>
    public LossOptions? Loss { get; init; }

    /// <summary><see cref="Loss"/>, or the task's default loss when it is not set.</summary>
    public LossOptions LossOrDefault => Loss ?? Task.CreateDefaultLoss();
}
