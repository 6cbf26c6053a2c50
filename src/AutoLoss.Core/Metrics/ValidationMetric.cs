using static TorchSharp.torch;

namespace AutoLoss.Core.Metrics;

/// <summary>
/// A validation metric a task offers, known by <see cref="Name"/> (what early stopping, epoch summaries and searches
/// refer to) and <see cref="HigherIsBetter"/>. The loop runs the student once over the validation rows in chunks and
/// hands every chunk to one <see cref="IMetricAccumulator"/> per metric, so adding a metric adds no pass over the data.
/// </summary>
public abstract class ValidationMetric
{
    /// <summary>The metric's name, e.g. <see cref="MetricNames.Accuracy"/>.</summary>
    public abstract string Name { get; }

    /// <summary>True when a larger value is better (accuracy, AUCPR); false for losses and errors.</summary>
    public abstract bool HigherIsBetter { get; }

    /// <summary>True when the value is a squared error in target units, which the loop multiplies by the square of the
    /// targets' scale (<c>TrainingProblem.TargetScale</c>) so that it is reported in the label's own units.</summary>
    public virtual bool IsSquaredTargetError => false;

    /// <summary>Starts accumulating the metric over <paramref name="rows"/> validation rows.</summary>
    public abstract IMetricAccumulator Start(long rows);

    /// <summary>The value as a log line shows it, e.g. "accuracy 96.10%".</summary>
    public virtual string Format(double value) => $"{Name} {value:G5}";

    /// <summary>The metric's name.</summary>
    public override string ToString() => Name;
}

/// <summary>Gathers one metric over the chunks of a validation pass (outputs without graph, in row order).</summary>
public interface IMetricAccumulator
{
    /// <summary>Adds a chunk: the student's outputs, the labels, and the index of the chunk's first row.</summary>
    void Add(Tensor outputs, Tensor labels, long firstRow);

    /// <summary>The metric over every row added.</summary>
    double Result();
}
