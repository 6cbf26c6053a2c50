using AutoLoss;
using AutoLoss.Core.Training;
using AutoLoss.ML.Catalog;

namespace Microsoft.ML;

/// <summary>Catalog extensions that add AdaptiveLoss trainers to <see cref="MLContext"/>.</summary>
public static class AdaptiveLossCatalog
{
    /// <summary>
    /// A multiclass trainer whose TorchSharp student (default: MLP 500-300) learns with cross-entropy.
    /// Use the <see cref="AdaptiveLossMulticlassTrainer.Options"/> overload to choose another loss,
    /// student, optimiser or validation data.
    /// </summary>
    /// <param name="catalog">The multiclass trainers catalog.</param>
    /// <param name="labelColumnName">Key-typed label column (apply MapValueToKey first).</param>
    /// <param name="featureColumnName">Known-size float vector column.</param>
    /// <param name="exampleWeightColumnName">Optional float weight column (finite, >= 0); null weighs every row 1.</param>
    /// <param name="numberOfEpochs">Passes over the training data.</param>
    /// <param name="batchSize">Rows per optimiser step.</param>
    /// <param name="learningRate">Initial learning rate of SGD with momentum (<see cref="TrainingSettings.Defaults.Momentum"/>).</param>
    public static AdaptiveLossMulticlassTrainer AdaptiveLoss(
        this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label",
        string featureColumnName = "Features",
        string? exampleWeightColumnName = null,
        int numberOfEpochs = TrainingSettings.Defaults.NumberOfEpochs,
        int batchSize = TrainingSettings.Defaults.BatchSize,
        double learningRate = TrainingSettings.Defaults.LearningRate) =>
        catalog.AdaptiveLoss(new AdaptiveLossMulticlassTrainer.Options
        {
            LabelColumnName = labelColumnName,
            FeatureColumnName = featureColumnName,
            ExampleWeightColumnName = exampleWeightColumnName,
            NumberOfEpochs = numberOfEpochs,
            BatchSize = batchSize,
            LearningRate = learningRate,
        });

    /// <summary>A multiclass AdaptiveLoss trainer with every option.</summary>
    /// <param name="catalog">The multiclass trainers catalog.</param>
    /// <param name="options">Trainer options (validated now and again at Fit).</param>
    public static AdaptiveLossMulticlassTrainer AdaptiveLoss(
        this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        AdaptiveLossMulticlassTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new AdaptiveLossMulticlassTrainer(new TrainingHost(catalog, "AdaptiveLossMulticlass"), options);
    }

    /// <summary>
    /// A binary trainer whose two-class TorchSharp student (default: MLP 500-300) learns with cross-entropy; it
    /// appends Score, Probability and PredictedLabel like ML.NET's calibrated binary trainers. Use the
    /// <see cref="AdaptiveLossBinaryTrainer.Options"/> overload to choose another loss (e.g. ALA aligned to AUCPR),
    /// student, optimiser or validation data.
    /// </summary>
    /// <param name="catalog">The binary classification trainers catalog.</param>
    /// <param name="labelColumnName">Boolean label column (true = positive).</param>
    /// <param name="featureColumnName">Known-size float vector column.</param>
    /// <param name="exampleWeightColumnName">Optional float weight column (finite, >= 0); null weighs every row 1.</param>
    /// <param name="numberOfEpochs">Passes over the training data.</param>
    /// <param name="batchSize">Rows per optimiser step.</param>
    /// <param name="learningRate">Initial learning rate of SGD with momentum (<see cref="TrainingSettings.Defaults.Momentum"/>).</param>
    public static AdaptiveLossBinaryTrainer AdaptiveLoss(
        this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = "Label",
        string featureColumnName = "Features",
        string? exampleWeightColumnName = null,
        int numberOfEpochs = TrainingSettings.Defaults.NumberOfEpochs,
        int batchSize = TrainingSettings.Defaults.BatchSize,
        double learningRate = TrainingSettings.Defaults.LearningRate) =>
        catalog.AdaptiveLoss(new AdaptiveLossBinaryTrainer.Options
        {
            LabelColumnName = labelColumnName,
            FeatureColumnName = featureColumnName,
            ExampleWeightColumnName = exampleWeightColumnName,
            NumberOfEpochs = numberOfEpochs,
            BatchSize = batchSize,
            LearningRate = learningRate,
        });

    /// <summary>A binary AdaptiveLoss trainer with every option.</summary>
    /// <param name="catalog">The binary classification trainers catalog.</param>
    /// <param name="options">Trainer options (validated now and again at Fit).</param>
    public static AdaptiveLossBinaryTrainer AdaptiveLoss(
        this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        AdaptiveLossBinaryTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new AdaptiveLossBinaryTrainer(new TrainingHost(catalog, "AdaptiveLossBinary"), options);
    }

    /// <summary>
    /// A regression trainer whose one-output TorchSharp student (default: MLP 500-300) learns with
    /// squared error. Use the <see cref="AdaptiveLossRegressionTrainer.Options"/> overload to choose
    /// the student, optimiser, schedule or validation data.
    /// </summary>
    /// <param name="catalog">The regression trainers catalog.</param>
    /// <param name="labelColumnName">Scalar Single (float) label column.</param>
    /// <param name="featureColumnName">Known-size float vector column.</param>
    /// <param name="exampleWeightColumnName">Optional float weight column (finite, >= 0); null weighs every row 1.</param>
    /// <param name="numberOfEpochs">Passes over the training data.</param>
    /// <param name="batchSize">Rows per optimiser step.</param>
    /// <param name="learningRate">Initial learning rate of SGD with momentum (<see cref="TrainingSettings.Defaults.Momentum"/>).</param>
    public static AdaptiveLossRegressionTrainer AdaptiveLoss(
        this RegressionCatalog.RegressionTrainers catalog,
        string labelColumnName = "Label",
        string featureColumnName = "Features",
        string? exampleWeightColumnName = null,
        int numberOfEpochs = TrainingSettings.Defaults.NumberOfEpochs,
        int batchSize = TrainingSettings.Defaults.BatchSize,
        double learningRate = TrainingSettings.Defaults.LearningRate) =>
        catalog.AdaptiveLoss(new AdaptiveLossRegressionTrainer.Options
        {
            LabelColumnName = labelColumnName,
            FeatureColumnName = featureColumnName,
            ExampleWeightColumnName = exampleWeightColumnName,
            NumberOfEpochs = numberOfEpochs,
            BatchSize = batchSize,
            LearningRate = learningRate,
        });

    /// <summary>A regression AdaptiveLoss trainer with every option.</summary>
    /// <param name="catalog">The regression trainers catalog.</param>
    /// <param name="options">Trainer options (validated now and again at Fit).</param>
    public static AdaptiveLossRegressionTrainer AdaptiveLoss(
        this RegressionCatalog.RegressionTrainers catalog,
        AdaptiveLossRegressionTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new AdaptiveLossRegressionTrainer(new TrainingHost(catalog, "AdaptiveLossRegression"), options);
    }
}
