using static TorchSharp.torch;

namespace AutoLoss.Core.Training;

/// <summary>
/// What the student learns to predict. It fixes the student's output width, the type of the label
/// tensors, and which losses and validation metrics apply: <see cref="Multiclass"/> with C classes,
/// or <see cref="Regression"/>.
/// </summary>
public sealed record TrainingTask
{
    private TrainingTask(TaskKind kind, int numberOfClasses)
    {
        Kind = kind;
        NumberOfClasses = numberOfClasses;
    }

    /// <summary>A regression task: one output, float32 targets.</summary>
    public static TrainingTask Regression { get; } = new(TaskKind.Regression, 0);

    /// <summary>A multiclass task with <paramref name="numberOfClasses"/> classes (at least 2).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 2 classes.</exception>
    public static TrainingTask Multiclass(int numberOfClasses)
    {
        if (numberOfClasses < 2)
            throw new ArgumentOutOfRangeException(nameof(numberOfClasses), $"A multiclass task needs at least 2 classes; {numberOfClasses} were given.");
        return new(TaskKind.MulticlassClassification, numberOfClasses);
    }

    /// <summary>The kind of prediction.</summary>
    public TaskKind Kind { get; }

    /// <summary>Number of classes C of a multiclass task; 0 for regression.</summary>
    public int NumberOfClasses { get; }

    /// <summary>True for a regression task.</summary>
    public bool IsRegression => Kind == TaskKind.Regression;

    /// <summary>Width of the student's output layer: C logits, or 1 for regression.</summary>
    public int OutputSize => IsRegression ? 1 : NumberOfClasses;

    /// <summary>Element type of label tensors: int64 class indices, or float32 targets for regression.</summary>
    public ScalarType LabelType => IsRegression ? ScalarType.Float32 : ScalarType.Int64;

    /// <summary>E.g. "multiclass (10 classes)" or "regression".</summary>
    public override string ToString() => IsRegression ? "regression" : $"multiclass ({NumberOfClasses} classes)";
}
