using AutoLoss.Core.Students;
using AutoLoss.Core.Teaching;
using AutoLoss.Core.Training;
using AutoLoss.ML.Datasets;
using AutoLoss.ML.Trainers;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Tests;

[TestClass]
public sealed class BadInputTests
{
    private static readonly MLContext Ml = new(seed: 1);

    private static TException FitFails<TException>(IDataView data, Action<AdaptiveLossMulticlassTrainer.Options>? configure = null, params string[] messageParts)
        where TException : Exception
    {
        var error = Assert.Throws<TException>(() =>
        {
            using var model = Ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(configure)).Fit(data);
        });
        foreach (var part in messageParts) StringAssert.Contains(error.Message, part);
        return error;
    }

    private static IDataView FromRows(IEnumerable<TestData.Row> rows)
    {
        var raw = Ml.Data.LoadFromEnumerable(rows.ToList());
        return Ml.Transforms.Conversion.MapValueToKey("Label").Fit(raw).Transform(raw);
    }

    private static TestData.Row Row(float label, float value = 1f) =>
        new() { Label = label, Features = Enumerable.Repeat(value, TestData.Features).ToArray() };

    [TestMethod]
    public void ContractHoldsForTheMulticlassTrainer()
    {
        var data = TestData.Clusters(Ml);
        var withoutKeyLabel = SyntheticData.GaussianClusters(Ml, 50, TestData.Features, TestData.Classes, seed: 1);
        EstimatorContract.Check(Ml, Ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions()), data, withoutKeyLabel);
    }

    [TestMethod]
    public void MissingLabelColumnIsNamed() =>
        FitFails<ArgumentOutOfRangeException>(TestData.Clusters(Ml), o => o.LabelColumnName = "Target", "'Target'", "LabelColumnName");

    [TestMethod]
    public void NonKeyLabelExplainsMapValueToKey()
    {
        var raw = SyntheticData.GaussianClusters(Ml, 50, TestData.Features, TestData.Classes, seed: 1);
        FitFails<ArgumentOutOfRangeException>(raw, null, "'Label'", "MapValueToKey");
        var shapeError = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions()).GetOutputSchema(AutoLoss.ML.Catalog.MlNetInternals.SchemaShapeFrom(raw.Schema)));
        StringAssert.Contains(shapeError.Message, "MapValueToKey");
    }

    [TestMethod]
    public void MissingFeaturesColumnIsNamed() =>
        FitFails<ArgumentOutOfRangeException>(TestData.Clusters(Ml), o => o.FeatureColumnName = "Pixels", "'Pixels'");

    [TestMethod]
    public void VariableSizeFeaturesAreRejected()
    {
        var rows = new List<VariableRow> { new() { Label = 0, Features = [1f, 2f] }, new() { Label = 1, Features = [1f] } };
        var raw = Ml.Data.LoadFromEnumerable(rows);
        var data = Ml.Transforms.Conversion.MapValueToKey("Label").Fit(raw).Transform(raw);
        FitFails<ArgumentOutOfRangeException>(data, null, "variable-size");
    }

    [TestMethod]
    public void NonFloatFeaturesAreRejected()
    {
        var raw = Ml.Data.LoadFromEnumerable(new List<DoubleRow> { new() { Label = 0, Features = [1, 2] }, new() { Label = 1, Features = [2, 1] } });
        var data = Ml.Transforms.Conversion.MapValueToKey("Label").Fit(raw).Transform(raw);
        FitFails<ArgumentOutOfRangeException>(data, null, "'Features'", "Single");
    }

    [TestMethod]
    public void NaNAndInfinityInFeaturesNameTheRow()
    {
        FitFails<InvalidOperationException>(FromRows([Row(0), Row(1), Row(0, float.NaN)]), null, "NaN", "row 2", "ReplaceMissingValues");
        FitFails<InvalidOperationException>(FromRows([Row(0), Row(1, float.PositiveInfinity)]), o => o.Caching = DataCaching.Streaming, "Infinity", "row 1");
    }

    [TestMethod]
    public void EmptyTrainingDataIsRejected()
    {
        FitFails<ArgumentException>(FromRows([]), null, "empty");
        // Keys known from other data, but no row survives: the trainer itself must notice.
        var data = TestData.Clusters(Ml);
        FitFails<ArgumentException>(Ml.Data.FilterByCustomPredicate<TestData.LabelKey>(data, _ => true), null, "empty");
    }

    [TestMethod]
    public void ValidationSetWithoutAClassIsRejected()
    {
        var train = TestData.Clusters(Ml);
        var validation = Ml.Data.FilterRowsByKeyColumnFraction(TestData.Clusters(Ml, seed: 9), "Label", 0, 0.5); // keys 1 only
        FitFails<ArgumentException>(train, o => o.ValidationData = validation, "no rows of class", "ValidationData");
    }

    [TestMethod]
    public void NonPositiveEpochsBatchSizeAndLearningRateAreRejectedAtCreation()
    {
        void Rejects(Action<AdaptiveLossMulticlassTrainer.Options> configure, string option)
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => Ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(configure)));
            StringAssert.Contains(error.Message, option);
        }
        Rejects(o => o.NumberOfEpochs = 0, "NumberOfEpochs");
        Rejects(o => o.NumberOfEpochs = -3, "NumberOfEpochs");
        Rejects(o => o.BatchSize = 0, "BatchSize");
        Rejects(o => o.LearningRate = 0, "LearningRate");
        Rejects(o => o.LearningRate = -0.1, "LearningRate");
        Rejects(o => o.LearningRate = double.NaN, "LearningRate");
        Rejects(o => o.Momentum = 1, "Momentum");
        Rejects(o => o.ValidationFraction = 1, "ValidationFraction");
        Rejects(o => o.Student = new MlpSpec { HiddenSizes = [0] }, "HiddenSizes");
        Rejects(o => o.Student = new MlpSpec { Dropout = 1 }, "Dropout");
        Rejects(o => o.LearningRateDecayFactor = 0, "LearningRateDecayFactor");
    }

    [TestMethod]
    public void OptionsChangedAfterCreationAreValidatedAtFit()
    {
        var options = TestData.FastOptions();
        var trainer = Ml.MulticlassClassification.Trainers.AdaptiveLoss(options);
        options.BatchSize = -1;
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(TestData.Clusters(Ml)));
        StringAssert.Contains(error.Message, "BatchSize");
    }

    [TestMethod]
    public void PhiOfTheWrongShapeIsRejectedBeforeTraining() =>
        FitFails<ArgumentException>(TestData.Clusters(Ml), o => o.Loss = LossOptions.Parametric(new float[4, 4]), "4 x 4", "3 classes");

    [TestMethod]
    public void NonFinitePhiIsRejected()
    {
        var phi = new float[3, 3];
        phi[1, 2] = float.NaN;
        FitFails<ArgumentException>(TestData.Clusters(Ml), o => o.Loss = LossOptions.Parametric(phi), "Phi", "finite");
    }

    [TestMethod]
    public void CudaWhereAbsentGivesAClearMessage()
    {
        if (AutoLoss.Core.Training.TorchRuntime.IsCudaAvailable) Assert.Inconclusive("This machine has CUDA.");
        FitFails<InvalidOperationException>(TestData.Clusters(Ml), o => o.Device = ComputeDevice.Cuda, "Cuda", "TorchSharp-cuda-linux");
    }

    [TestMethod]
    public void EarlyStoppingWithoutValidationDataIsRejected() =>
        FitFails<ArgumentException>(TestData.Clusters(Ml), o => o.EarlyStoppingPatience = 2, "EarlyStoppingPatience", "ValidationFraction");

    [TestMethod]
    public void NegativeExampleWeightsAreRejected()
    {
        var data = TestData.Clusters(Ml);
        var weighted = TestData.WithWeights(Ml, data, key => key == 2 ? -1f : 1f);
        FitFails<InvalidOperationException>(weighted, o => o.ExampleWeightColumnName = "Weight", "'Weight'", ">= 0");
    }

    [TestMethod]
    public void DivergingTrainingSaysToLowerTheLearningRate()
    {
        var rows = Enumerable.Range(0, 100).Select(i => Row(i % 3, (i % 2 == 0 ? 1 : -1) * 1e20f)).ToList();
        FitFails<InvalidOperationException>(FromRows(rows), o => { o.LearningRate = 10; o.Student = new MlpSpec { HiddenSizes = [] }; }, "diverged", "LearningRate");
    }

    private sealed class VariableRow
    {
        public float Label { get; set; }
        public float[] Features { get; set; } = [];
    }

    private sealed class DoubleRow
    {
        public float Label { get; set; }
        [VectorType(2)] public double[] Features { get; set; } = [];
    }
}
