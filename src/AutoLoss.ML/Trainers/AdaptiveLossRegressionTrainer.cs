using AutoLoss.Core.Training;
using AutoLoss.ML.Catalog;
using AutoLoss.ML.Data;
using AutoLoss.ML.Scoring;
using AutoLoss.ML.Trainers;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss;

/// <summary>
/// Trains a one-output TorchSharp student for regression while an adaptive loss (see
/// <see cref="Options.Loss"/>; squared error by default) decides what it minimises at each step.
/// Create it with <c>mlContext.Regression.Trainers.AdaptiveLoss(...)</c>.
/// </summary>
public sealed partial class AdaptiveLossRegressionTrainer : AdaptiveLossTrainerBase<AdaptiveLossRegressionTrainer.Options, AdaptiveLossRegressionTransformer>
{
    internal AdaptiveLossRegressionTrainer(TrainingHost host, Options options)
        : base(host, options, new TaskBinding(TrainingTask.Regression, TaskKnownBeforeData: true, TrainingColumns.CheckRegressionLabel))
    {
    }

    private protected override AdaptiveLossRegressionTransformer CreateModel(TrainingOutcome outcome, TrainingColumns columns, LabelStandardization scaling, DataViewSchema inputSchema) =>
        new(StudentScorer.Regressor(outcome.Student, outcome.Spec ?? TrainerOptions.Student, columns.FeatureCount, scaling), TrainerOptions.FeatureColumnName, outcome.History, outcome.LearnedLoss);

    private protected override void CheckLabel(SchemaShape.Column label)
    {
        if (label.Kind != SchemaShape.Column.VectorKind.Scalar || label.IsKey || label.ItemType != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(nameof(Options.LabelColumnName),
                TrainingColumns.RegressionLabelProblem(TrainerOptions.LabelColumnName, label.Kind == SchemaShape.Column.VectorKind.Scalar ? label.ItemType : $"{label.Kind} of {label.ItemType}", label.IsKey, "input schema"));
    }

    private protected override IOutputColumns OutputColumnsFor(SchemaShape.Column label) => RegressionOutputColumns.Instance;
}
