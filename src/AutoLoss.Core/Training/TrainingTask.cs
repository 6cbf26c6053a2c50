using static TorchSharp.torch;

namespace AutoLoss.Core.Training;

/// <summary>
/// What the student learns to predict. It fixes the student's output width, the type of the label
/// tensors, and which losses and validation metrics apply: <see cref="Multiclass"/> with C classes,
/// <see cref="Binary"/> (two classes), or <see cref="Regression"/>.
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

    /// <summary>A binary task: two classes (0 negative, 1 positive), two logits, int64 labels; every
    /// classification loss treats it as a two-class task.</summary>
    public static TrainingTask Binary { get; } = new(TaskKind.BinaryClassification, 2);

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

    /// <summary>Number of classes C of a classification task (2 for binary); 0 for regression.</summary>
    public int NumberOfClasses { get; }

    /// <summary>True for a regression task.</summary>
    public bool IsRegression => Kind == TaskKind.Regression;

    /// <summary>True for a multiclass or binary task (class-index labels, C logits, class probabilities).</summary>
    public bool IsClassification => !IsRegression;

    /// <summary>True for a binary task.</summary>
    public bool IsBinary => Kind == TaskKind.BinaryClassification;

    /// <summary>Width of the student's output layer: C logits, or 1 for regression.</summary>
    public int OutputSize => IsRegression ? 1 : NumberOfClasses;

    /// <summary>Element type of label tensors: int64 class indices, or float32 targets for regression.</summary>
    public ScalarType LabelType => IsRegression ? ScalarType.Float32 : ScalarType.Int64;

    /// <summary>E.g. "multiclass (10 classes)" or "regression".</summary>
    public override string ToString() => IsRegression ? "regression" : IsBinary ? "binary" : $"multiclass ({NumberOfClasses} classes)";
}
