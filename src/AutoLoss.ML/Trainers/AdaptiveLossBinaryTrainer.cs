using AutoLoss.Core.Training;
using AutoLoss.ML.Catalog;
using AutoLoss.ML.Data;
using AutoLoss.ML.Scoring;
using AutoLoss.ML.Trainers;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss;

/// <summary>
/// Trains a two-class TorchSharp student for binary classification while an adaptive loss (see
/// <see cref="Options.Loss"/>; cross-entropy by default) decides what it minimises at each step.
/// Create it with <c>mlContext.BinaryClassification.Trainers.AdaptiveLoss(...)</c>.
/// </summary>
public sealed partial class AdaptiveLossBinaryTrainer : AdaptiveLossTrainerBase<AdaptiveLossBinaryTrainer.Options, AdaptiveLossBinaryTransformer>
{
    internal AdaptiveLossBinaryTrainer(TrainingHost host, Options options)
        : base(host, options, new TaskBinding(TrainingTask.Binary, TaskKnownBeforeData: true, TrainingColumns.CheckBinaryLabel))
    {
    }

    private protected override AdaptiveLossBinaryTransformer CreateModel(TrainingOutcome outcome, TrainingColumns columns, LabelStandardization scaling, DataViewSchema inputSchema) =>
        new(StudentScorer.Classifier(outcome.Student, outcome.Spec ?? TrainerOptions.Student, columns.FeatureCount, 2), TrainerOptions.FeatureColumnName, outcome.History, outcome.LearnedLoss);

    private protected override void CheckLabel(SchemaShape.Column label)
    {
        if (label.Kind != SchemaShape.Column.VectorKind.Scalar || label.IsKey || label.ItemType != BooleanDataViewType.Instance)
            throw new ArgumentOutOfRangeException(nameof(Options.LabelColumnName),
                TrainingColumns.BinaryLabelProblem(TrainerOptions.LabelColumnName, label.Kind == SchemaShape.Column.VectorKind.Scalar ? label.ItemType : $"{label.Kind} of {label.ItemType}", "input schema"));
    }

    private protected override IOutputColumns OutputColumnsFor(SchemaShape.Column label) => BinaryOutputColumns.Instance;
}
