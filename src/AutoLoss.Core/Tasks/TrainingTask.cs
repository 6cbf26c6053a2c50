using AutoLoss.Core.Metrics;
using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>
/// What the student learns to predict. A task owns the student's output width, the type of its label tensors, the
/// loss it trains with by default, the validation metrics it offers (by name, with direction) and how raw outputs
/// become scores. The training loop, early stopping and teachers ask the task instead of branching on a kind, so a
/// new task (e.g. an embedding task for metric learning) is a new subclass that touches no existing one. Losses that
/// only make sense for some tasks check the task's type (e.g. <see cref="ClassificationTask"/>).
/// </summary>
public abstract class TrainingTask
{
    /// <summary>A regression task: one output, float32 targets.</summary>
    public static RegressionTask Regression { get; } = new();

    /// <summary>A binary task: two classes (0 negative, 1 positive), two logits, int64 labels; every classification
    /// loss treats it as a two-class task.</summary>
    public static BinaryTask Binary { get; } = new();

    /// <summary>A multiclass task with <paramref name="numberOfClasses"/> classes (at least 2).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 2 classes.</exception>
    public static ClassificationTask Multiclass(int numberOfClasses) => new(numberOfClasses);

    /// <summary>Width of the student's output layer.</summary>
    public abstract int OutputSize { get; }

    /// <summary>Element type of label tensors.</summary>
    public abstract ScalarType LabelType { get; }

    /// <summary>The validation metrics this task measures every epoch when validation data is present, in the order
    /// log lines show them.</summary>
    public abstract IReadOnlyList<ValidationMetric> Metrics { get; }

    /// <summary>Name of the metric that is this task's validation loss (lower is better), which teachers read as
    /// <see cref="EpochSummary.ValidationLoss"/>.</summary>
    public abstract string ValidationLossMetric { get; }

    /// <summary>Name of the metric early stopping watches unless told otherwise.</summary>
    public abstract string DefaultEarlyStoppingMetric { get; }

    /// <summary>The task's own per-example loss (cross-entropy, squared error), which objectives such as an AutoLoss
    /// schedule's "task loss" minimise.</summary>
    public abstract IPerExampleLoss TaskLoss { get; }

    /// <summary>The loss a student of this task learns with unless told otherwise.</summary>
    public abstract LossOptions CreateDefaultLoss();

    /// <summary>Turns raw student outputs [B, OutputSize] into the task's scores (class probabilities, predictions).</summary>
    public abstract Tensor Score(Tensor outputs);

    /// <summary>The metric named <paramref name="name"/>; throws <see cref="ArgumentException"/> naming
    /// <paramref name="optionName"/> and the metrics this task offers when it has none of that name.</summary>
    public ValidationMetric Metric(string name, string optionName)
    {
        var metric = Metrics.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.Ordinal));
        return metric ?? throw new ArgumentException(
            $"{optionName} is '{name}', which a {this} task does not measure; use one of: {string.Join(", ", Metrics.Select(m => m.Name))} " +
            $"(default {DefaultEarlyStoppingMetric}).", optionName);
    }

    /// <summary>E.g. "multiclass (10 classes)" or "regression".</summary>
    public abstract override string ToString();
}
