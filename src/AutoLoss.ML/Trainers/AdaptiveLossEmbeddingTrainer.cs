using AutoLoss.Core.Training;
using AutoLoss.ML.Catalog;
using AutoLoss.ML.Data;
using AutoLoss.ML.Scoring;
using AutoLoss.ML.Trainers;
using Microsoft.ML;

namespace AutoLoss;

/// <summary>
/// Metric learning: trains a TorchSharp student to map features to an L2-normalised embedding in which rows of one
/// identity (the key label) lie close together, with a metric-learning loss (<see cref="Options.Loss"/>; the margin loss
/// by default, or ALA moving an embedding loss's parameters). The fitted model appends an <c>Embedding</c> column.
/// Create it with <c>mlContext.MetricLearning().Trainers.AdaptiveLoss(...)</c>.
/// </summary>
public sealed partial class AdaptiveLossEmbeddingTrainer : AdaptiveLossTrainerBase<AdaptiveLossEmbeddingTrainer.Options, AdaptiveLossEmbeddingTransformer>
{
    /// <summary>The largest <see cref="Options.EmbeddingSize"/> a saved model can hold.</summary>
    public const int MaximumEmbeddingSize = 1 << 20;

    internal AdaptiveLossEmbeddingTrainer(TrainingHost host, Options options)
        : base(host, options, Binding(options))
    {
    }

    private static TaskBinding Binding(Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.EmbeddingSize < 2 || options.EmbeddingSize > MaximumEmbeddingSize)
            throw new ArgumentOutOfRangeException(nameof(Options.EmbeddingSize), $"EmbeddingSize is {options.EmbeddingSize}; it must be between 2 and {MaximumEmbeddingSize} (e.g. 64).");
        if (options.RowsPerClass < 0 || (options.RowsPerClass > 0 && options.RowsPerClass > options.BatchSize / 2))
            throw new ArgumentOutOfRangeException(nameof(Options.RowsPerClass),
                $"RowsPerClass is {options.RowsPerClass} with BatchSize {options.BatchSize}; use 0 (random batches) or a K of at most BatchSize / 2, so a batch holds at least 2 classes (e.g. 4).");
        var task = new EmbeddingTask(options.EmbeddingSize);
        return new TaskBinding(task, TaskKnownBeforeData: true, (schema, label, dataName) =>
        {
            TrainingColumns.CheckIdentityLabel(schema, label, dataName);
            return task;
        });
    }

    private protected override AdaptiveLossEmbeddingTransformer CreateModel(TrainingOutcome outcome, TrainingColumns columns, LabelStandardization scaling, Microsoft.ML.DataViewSchema inputSchema) =>
        new(StudentScorer.Embedder(outcome.Student, outcome.Spec ?? TrainerOptions.Student, columns.FeatureCount, TrainerOptions.EmbeddingSize), TrainerOptions.FeatureColumnName, outcome.History, outcome.LearnedLoss);

    private protected override void CheckLabel(SchemaShape.Column label)
    {
        if (label.Kind != SchemaShape.Column.VectorKind.Scalar || !label.IsKey)
            throw new ArgumentOutOfRangeException(nameof(Options.LabelColumnName),
                $"Label column '{TrainerOptions.LabelColumnName}' is {label.Kind} of {label.ItemType}; metric learning needs a key type naming each row's identity or class. " +
                $"Add mlContext.Transforms.Conversion.MapValueToKey(\"{TrainerOptions.LabelColumnName}\") before the trainer.");
    }

    private protected override IOutputColumns OutputColumnsFor(SchemaShape.Column label) => new EmbeddingOutputColumns(TrainerOptions.EmbeddingSize);
}
