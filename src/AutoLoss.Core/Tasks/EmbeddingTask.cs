using AutoLoss.Core.Metrics;
using AutoLoss.Core.Metrics.Retrieval;
using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>
/// Metric learning: the student maps features to an embedding of <see cref="EmbeddingSize"/> values, L2-normalised as its
/// score; labels are int64 identities or classes (>= 0, any number of them; classes seen at scoring time need not have
/// been seen in training). Losses pull rows of one label together and push others apart (<see cref="MarginLoss"/>, the
/// default, and <see cref="TripletLoss"/>). Validation ranks the validation rows against each other: Recall@1, mean
/// average precision at R, and the retrieval error 1 - Recall@1 as the validation loss.
/// </summary>
public sealed class EmbeddingTask : TrainingTask
{
    private static readonly ValidationMetric[] RetrievalMetrics = [RetrievalMetric.RecallAt1, RetrievalMetric.MeanAveragePrecisionAtR, RetrievalMetric.RetrievalError];

    /// <summary>A task whose student outputs <paramref name="embeddingSize"/> values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The size is below 2.</exception>
    public EmbeddingTask(int embeddingSize)
    {
        if (embeddingSize < 2) throw new ArgumentOutOfRangeException(nameof(embeddingSize), embeddingSize, "An embedding needs at least 2 dimensions (e.g. 64).");
        EmbeddingSize = embeddingSize;
    }

    /// <summary>D, the embedding's length.</summary>
    public int EmbeddingSize { get; }

    /// <inheritdoc />
    public override int OutputSize => EmbeddingSize;

    /// <inheritdoc />
    public override ScalarType LabelType => ScalarType.Int64;

    /// <inheritdoc />
    public override IReadOnlyList<ValidationMetric> Metrics => RetrievalMetrics;

    /// <inheritdoc />
    public override string ValidationLossMetric => MetricNames.RetrievalError;

    /// <inheritdoc />
    public override string DefaultEarlyStoppingMetric => MetricNames.RecallAt1;

    /// <inheritdoc />
    public override IPerExampleLoss TaskLoss { get; } = new MarginLoss();

    /// <inheritdoc />
    public override LossOptions CreateDefaultLoss() => LossOptions.PerExample(() => new MarginLoss());

    /// <inheritdoc />
    public override Tensor Score(Tensor outputs) => nn.functional.normalize(outputs, p: 2, dim: 1);

    /// <summary>Tasks are equal when their embedding sizes are.</summary>
    public override bool Equals(object? obj) => obj is EmbeddingTask other && other.EmbeddingSize == EmbeddingSize;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(typeof(EmbeddingTask), EmbeddingSize);

    /// <inheritdoc />
    public override string ToString() => $"embedding ({EmbeddingSize} dimensions)";
}
