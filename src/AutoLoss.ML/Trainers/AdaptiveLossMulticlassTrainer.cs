using AutoLoss.Core.Training;
using AutoLoss.ML.Catalog;
using AutoLoss.ML.Data;
using AutoLoss.ML.Scoring;
using AutoLoss.ML.Trainers;
using Microsoft.ML;

namespace AutoLoss;

/// <summary>
/// Trains a TorchSharp student for multiclass classification while an adaptive loss (see
/// <see cref="Options.Loss"/>) decides what it minimises at each step. Create it with
/// <c>mlContext.MulticlassClassification.Trainers.AdaptiveLoss(...)</c>.
/// </summary>
public sealed partial class AdaptiveLossMulticlassTrainer : AdaptiveLossTrainerBase<AdaptiveLossMulticlassTrainer.Options, AdaptiveLossMulticlassTransformer>
{
    internal AdaptiveLossMulticlassTrainer(TrainingHost host, Options options)
        : base(host, options, new TaskBinding(TrainingTask.Multiclass(2), TaskKnownBeforeData: false, (schema, label, data) => TrainingTask.Multiclass(TrainingColumns.CheckLabel(schema, label, data))))
    {
    }

    private protected override AdaptiveLossMulticlassTransformer CreateModel(TrainingOutcome outcome, TrainingColumns columns, LabelStandardization scaling, DataViewSchema inputSchema)
    {
        var keyValues = LabelKeyValues.FromLabel(inputSchema[columns.Label]);
        var scorer = StudentScorer.Classifier(outcome.Student, outcome.Spec ?? TrainerOptions.Student, columns.FeatureCount, columns.ClassCount);
        return new AdaptiveLossMulticlassTransformer(scorer, TrainerOptions.FeatureColumnName, keyValues, outcome.History, outcome.LearnedLoss);
    }

    private protected override void CheckLabel(SchemaShape.Column label)
    {
        if (!label.IsKey)
            throw new ArgumentOutOfRangeException(nameof(Options.LabelColumnName),
                $"Label column '{TrainerOptions.LabelColumnName}' is {label.ItemType}, not a key type. Add mlContext.Transforms.Conversion.MapValueToKey(\"{TrainerOptions.LabelColumnName}\") before the trainer.");
    }

    private protected override IOutputColumns OutputColumnsFor(SchemaShape.Column label) => MulticlassOutputColumns.PromisedFor(label);
}
