using AutoLoss.Core.Metrics;
using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>One of C classes: the student outputs C logits, labels are int64 class indices (0-based), scores are the
/// softmax probabilities. Validation measures accuracy and log-loss. Every classification loss (cross-entropy, the
/// Phi family, L2T-DLF, ALA) accepts any <see cref="ClassificationTask"/>.</summary>
public class ClassificationTask : TrainingTask
{
    private static readonly ValidationMetric[] ClassificationMetrics = [AccuracyMetric.Instance, LogLossMetric.Instance];

    /// <summary>A task with <paramref name="numberOfClasses"/> classes (at least 2).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 2 classes.</exception>
    public ClassificationTask(int numberOfClasses)
    {
        if (numberOfClasses < 2)
            throw new ArgumentOutOfRangeException(nameof(numberOfClasses), $"A classification task needs at least 2 classes; {numberOfClasses} were given.");
        NumberOfClasses = numberOfClasses;
    }

    /// <summary>Number of classes C.</summary>
    public int NumberOfClasses { get; }

    /// <inheritdoc />
    public override int OutputSize => NumberOfClasses;

    /// <inheritdoc />
    public override ScalarType LabelType => ScalarType.Int64;

    /// <inheritdoc />
    public override IReadOnlyList<ValidationMetric> Metrics => ClassificationMetrics;

    /// <inheritdoc />
    public override string ValidationLossMetric => MetricNames.LogLoss;

    /// <inheritdoc />
    public override string DefaultEarlyStoppingMetric => MetricNames.Accuracy;

    /// <inheritdoc />
    public override IPerExampleLoss TaskLoss => CrossEntropyLoss.Instance;

    /// <inheritdoc />
    public override LossOptions CreateDefaultLoss() => LossOptions.CrossEntropy();

    /// <inheritdoc />
    public override Tensor Score(Tensor outputs) => nn.functional.softmax(outputs, 1);

    /// <summary>Tasks are equal when they are of the same type with the same number of classes.</summary>
    public override bool Equals(object? obj) => obj is ClassificationTask other && other.GetType() == GetType() && other.NumberOfClasses == NumberOfClasses;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(GetType(), NumberOfClasses);

    /// <inheritdoc />
    public override string ToString() => $"multiclass ({NumberOfClasses} classes)";
}
