using AutoLoss.ML.Scoring;

namespace AutoLoss;

/// <summary>
/// A fitted AdaptiveLoss embedding model (metric learning). <c>Transform</c> appends <c>Embedding</c>, a vector of
/// <see cref="EmbeddingSize"/> Singles with unit L2 norm, lazily and in batches; rows of one identity lie close
/// together, and rows of classes never seen in training can be recognised from a few examples with
/// <c>mlContext.MetricLearning().NearestNeighbor(...)</c>. Holds native memory: dispose it when done. Save it with
/// <c>mlContext.Model.SaveWithAutoLoss</c>.
/// </summary>
public sealed class AdaptiveLossEmbeddingTransformer : AdaptiveLossTransformerBase
{
    internal AdaptiveLossEmbeddingTransformer(StudentScorer scorer, string featureColumnName, IReadOnlyList<EpochSummary> history, ILearnedLoss? learnedLoss = null)
        : base(scorer, featureColumnName, history, learnedLoss)
    {
        OutputColumns = new EmbeddingOutputColumns(scorer.OutputSize);
    }

    /// <summary>D, the embedding's length.</summary>
    public int EmbeddingSize => Scorer.OutputSize;

    private protected override IOutputColumns OutputColumns { get; }
}
