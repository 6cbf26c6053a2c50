using AutoLoss;
using AutoLoss.Core.Training;
using AutoLoss.ML.Catalog;

namespace Microsoft.ML;

/// <summary>
/// Metric learning in ML.NET's style (ML.NET has no catalog of its own for it): <see cref="Trainers"/> learn an
/// embedding in which rows of one identity lie close together, and <see cref="NearestNeighbor"/> recognises classes
/// from a few reference examples each by their nearest embedding. Reach it with <c>mlContext.MetricLearning()</c>.
/// </summary>
public sealed class MetricLearningCatalog
{
    internal MetricLearningCatalog(MLContext context)
    {
        Context = context;
        Trainers = new MetricLearningTrainers(this);
    }

    internal MLContext Context { get; }

    /// <summary>The embedding trainers.</summary>
    public MetricLearningTrainers Trainers { get; }

    /// <summary>
    /// Few-shot classification by the nearest reference embeddings: fit it on the reference rows (a few labelled examples
    /// per class, embedded by a fitted embedding model); the transformer appends <c>Score</c> (per class, the highest
    /// cosine similarity to one of its references) and <c>PredictedLabel</c> (the majority class of the k nearest
    /// references, a tie going to the class with the nearest one).
    /// </summary>
    /// <param name="labelColumnName">Key-typed label column of the references (apply MapValueToKey first).</param>
    /// <param name="embeddingColumnName">Known-size float vector column holding the embeddings.</param>
    /// <param name="numberOfNeighbors">k, the nearest references that vote (1: the nearest decides).</param>
    public EmbeddingNearestNeighborEstimator NearestNeighbor(string labelColumnName = "Label", string embeddingColumnName = "Embedding", int numberOfNeighbors = 1) =>
        new(labelColumnName, embeddingColumnName, numberOfNeighbors);

    /// <summary>The trainers of <see cref="MetricLearningCatalog"/>.</summary>
    public sealed class MetricLearningTrainers
    {
        private readonly MetricLearningCatalog _catalog;

        internal MetricLearningTrainers(MetricLearningCatalog catalog) => _catalog = catalog;

        /// <summary>
        /// An embedding trainer whose TorchSharp student (default: MLP 500-300) learns with the margin loss; the fitted
        /// model appends an L2-normalised <c>Embedding</c> column. Use the <see cref="AdaptiveLossEmbeddingTrainer.Options"/>
        /// overload for another loss (triplet, ALA on an embedding loss), student or optimiser.
        /// </summary>
        /// <param name="labelColumnName">Key-typed identity or class column (apply MapValueToKey first).</param>
        /// <param name="featureColumnName">Known-size float vector column.</param>
        /// <param name="embeddingSize">D, the length of the embedding.</param>
        /// <param name="numberOfEpochs">Passes over the training data.</param>
        /// <param name="batchSize">Rows per optimiser step (each needs other rows of its label to learn from).</param>
        /// <param name="learningRate">Initial learning rate of SGD with momentum (<see cref="TrainingSettings.Defaults.Momentum"/>).</param>
        public AdaptiveLossEmbeddingTrainer AdaptiveLoss(
            string labelColumnName = "Label",
            string featureColumnName = "Features",
            int embeddingSize = 64,
            int numberOfEpochs = TrainingSettings.Defaults.NumberOfEpochs,
            int batchSize = TrainingSettings.Defaults.BatchSize,
            double learningRate = TrainingSettings.Defaults.LearningRate) =>
            AdaptiveLoss(new AdaptiveLossEmbeddingTrainer.Options
            {
                LabelColumnName = labelColumnName,
                FeatureColumnName = featureColumnName,
                EmbeddingSize = embeddingSize,
                NumberOfEpochs = numberOfEpochs,
                BatchSize = batchSize,
                LearningRate = learningRate,
            });

        /// <summary>An embedding trainer with every option.</summary>
        /// <param name="options">Trainer options (validated now and again at Fit).</param>
        public AdaptiveLossEmbeddingTrainer AdaptiveLoss(AdaptiveLossEmbeddingTrainer.Options options) =>
            new(new TrainingHost(_catalog.Context.MulticlassClassification.Trainers, "AdaptiveLossEmbedding"), options);
    }
}

/// <summary>The <c>mlContext.MetricLearning()</c> entry point.</summary>
public static class MetricLearningCatalogExtensions
{
    /// <summary>Metric learning: embedding trainers and nearest-neighbour few-shot scoring.</summary>
    public static MetricLearningCatalog MetricLearning(this MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return new MetricLearningCatalog(mlContext);
    }
}
