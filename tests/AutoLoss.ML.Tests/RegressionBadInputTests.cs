using AutoLoss.Core.Teaching;
using AutoLoss.Core.Teaching.L2tDlf;
using AutoLoss.Core.Training;
using AutoLoss.ML.Catalog;
using AutoLoss.ML.Trainers;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Tests;

[TestClass]
public sealed class RegressionBadInputTests
{
    private static readonly MLContext Ml = new(seed: 1);

    private static TException FitFails<TException>(IDataView data, Action<AdaptiveLossRegressionTrainer.Options>? configure = null, params string[] messageParts)
        where TException : Exception
    {
        var error = Assert.Throws<TException>(() =>
        {
            using var model = Ml.Regression.Trainers.AdaptiveLoss(TestData.FastRegressionOptions(configure)).Fit(data);
        });
        foreach (var part in messageParts) StringAssert.Contains(error.Message, part);
        return error;
    }

    private static TException CreationFails<TException>(Action<AdaptiveLossRegressionTrainer.Options> configure, params string[] messageParts)
        where TException : Exception
    {
        var error = Assert.Throws<TException>(() => Ml.Regression.Trainers.AdaptiveLoss(TestData.FastRegressionOptions(configure)));
        foreach (var part in messageParts) StringAssert.Contains(error.Message, part);
        return error;
    }

    private static IDataView FromLabels(params float[] labels) =>
        Ml.Data.LoadFromEnumerable(labels.Select((label, i) => new TestData.Row { Label = label, Features = Enumerable.Repeat(i * 0.1f, TestData.Features).ToArray() }).ToList());

    [TestMethod]
    public void ContractHoldsForTheRegressionTrainer()
    {
        var keyLabel = TestData.Clusters(Ml, rows: 50);
        EstimatorContract.Check(Ml, Ml.Regression.Trainers.AdaptiveLoss(TestData.FastRegressionOptions()), TestData.Linear(Ml), keyLabel);
    }

    [TestMethod]
    public void KeyLabelExplainsMapKeyToValueAndConvertType()
    {
        var keyLabel = TestData.Clusters(Ml, rows: 50);
        var error = FitFails<ArgumentOutOfRangeException>(keyLabel, null, "'Label'", "MapKeyToValue", "ConvertType");
        Assert.AreEqual("LabelColumnName", error.ParamName);
        var shapeError = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Ml.Regression.Trainers.AdaptiveLoss(TestData.FastRegressionOptions()).GetOutputSchema(MlNetInternals.SchemaShapeFrom(keyLabel.Schema)));
        StringAssert.Contains(shapeError.Message, "MapKeyToValue");
    }

    [TestMethod]
    public void TextDoubleAndVectorLabelsExplainConvertType()
    {
        var text = Ml.Data.LoadFromEnumerable(new List<TextLabelRow> { new() { Label = "1.5", Features = new float[TestData.Features] } });
        FitFails<ArgumentOutOfRangeException>(text, null, "'Label'", "String", "ConvertType(\"Label\", outputKind: DataKind.Single)");
        var dbl = Ml.Data.LoadFromEnumerable(new List<DoubleLabelRow> { new() { Label = 1.5, Features = new float[TestData.Features] } });
        FitFails<ArgumentOutOfRangeException>(dbl, null, "'Label'", "Double", "ConvertType");
        var vector = Ml.Data.LoadFromEnumerable(new List<VectorLabelRow> { new() { Label = [1f, 2f], Features = new float[TestData.Features] } });
        FitFails<ArgumentOutOfRangeException>(vector, null, "'Label'", "scalar Single");
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            Ml.Regression.Trainers.AdaptiveLoss(TestData.FastRegressionOptions()).GetOutputSchema(MlNetInternals.SchemaShapeFrom(vector.Schema)));
    }

    [TestMethod]
    public void MissingLabelColumnIsNamed() =>
        FitFails<ArgumentOutOfRangeException>(TestData.Linear(Ml), o => o.LabelColumnName = "Price", "'Price'", "LabelColumnName");

    [TestMethod]
    public void NaNAndInfiniteLabelsNameTheColumnAndRow()
    {
        FitFails<InvalidDataException>(FromLabels(1, 2, float.NaN), null, "'Label'", "NaN", "row 2", "FilterRowsByMissingValues");
        FitFails<InvalidDataException>(FromLabels(1, float.PositiveInfinity, 3), o => o.Caching = DataCaching.Streaming, "'Label'", "Infinity", "row 1", "FilterRowsByColumn");
        FitFails<InvalidDataException>(TestData.Linear(Ml), o => o.ValidationData = FromLabels(1, float.NegativeInfinity), "'Label'", "row 1 of the validation data");
    }

    [TestMethod]
    public void NaNFeaturesNameTheRow() =>
        FitFails<InvalidOperationException>(Ml.Data.LoadFromEnumerable(new List<TestData.Row>
        {
            new() { Label = 1, Features = new float[TestData.Features] },
            new() { Label = 2, Features = Enumerable.Repeat(float.NaN, TestData.Features).ToArray() },
        }), null, "'Features'", "row 1");

    [TestMethod]
    public void EmptyTrainingDataIsRejected()
    {
        FitFails<ArgumentException>(FromLabels(), null, "empty");
        // A filtered view (row count unknown, so it is streamed) that keeps no row.
        FitFails<ArgumentException>(Ml.Data.FilterRowsByColumn(TestData.Linear(Ml), "Label", lowerBound: 1e9), null, "empty");
    }

    [TestMethod]
    public void ClassificationLossesAreRefusedNamingSquaredError()
    {
        var identity = new float[2, 2] { { 1, 0 }, { 0, 1 } };
        foreach (var loss in new LossOptions[] { LossOptions.CrossEntropy(), LossOptions.Parametric(identity), new L2tDlfLossOptions() })
        {
            var error = CreationFails<ArgumentException>(o => o.Loss = loss, "Loss", "LossOptions.SquaredError()");
            Assert.AreEqual("Loss", error.ParamName, loss.ToString());
        }
    }

    [TestMethod]
    public void ClassificationEarlyStoppingMetricsAreRefused()
    {
        CreationFails<ArgumentException>(o => o.EarlyStoppingMetric = MetricNames.Accuracy, "EarlyStoppingMetric", "MeanSquaredError");
        CreationFails<ArgumentException>(o => { o.EarlyStoppingMetric = MetricNames.LogLoss; o.EarlyStoppingPatience = 2; o.ValidationFraction = 0.2; }, "EarlyStoppingMetric", "MeanSquaredError");
    }

    [TestMethod]
    public void MulticlassTrainerRefusesTheRegressionLossAndMetric()
    {
        var lossError = Assert.Throws<ArgumentException>(() =>
            Ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o => o.Loss = LossOptions.SquaredError())).Fit(TestData.Clusters(Ml)));
        StringAssert.Contains(lossError.Message, "CrossEntropy");
        var metricError = Assert.Throws<ArgumentException>(() =>
            Ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o => o.EarlyStoppingMetric = MetricNames.MeanSquaredError)));
        StringAssert.Contains(metricError.Message, "Accuracy");
    }

    [TestMethod]
    public void ValidationDataWithAnotherFeatureCountIsRejected()
    {
        var narrow = AutoLoss.SyntheticData.LinearRegression(Ml, 50, TestData.Features - 2, seed: 1);
        FitFails<ArgumentException>(TestData.Linear(Ml), o => o.ValidationData = narrow, "ValidationData", "features");
    }

    [TestMethod]
    public void OptionsAreValidatedAtCreationAndAgainAtFit()
    {
        CreationFails<ArgumentOutOfRangeException>(o => o.NumberOfEpochs = 0, "NumberOfEpochs");
        CreationFails<ArgumentOutOfRangeException>(o => o.LearningRate = double.NaN, "LearningRate");
        CreationFails<ArgumentNullException>(o => o.Loss = null!, "SquaredError");
        var options = TestData.FastRegressionOptions();
        var trainer = Ml.Regression.Trainers.AdaptiveLoss(options);
        options.BatchSize = -1;
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(TestData.Linear(Ml)));
        StringAssert.Contains(error.Message, "BatchSize");
    }

    private sealed class TextLabelRow
    {
        public string Label { get; set; } = "";
        [VectorType(TestData.Features)] public float[] Features { get; set; } = [];
    }

    private sealed class DoubleLabelRow
    {
        public double Label { get; set; }
        [VectorType(TestData.Features)] public float[] Features { get; set; } = [];
    }

    private sealed class VectorLabelRow
    {
        [VectorType(2)] public float[] Label { get; set; } = [];
        [VectorType(TestData.Features)] public float[] Features { get; set; } = [];
    }
}
