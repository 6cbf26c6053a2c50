using AutoLoss.Core.Teaching;
using AutoLoss.Core.Teaching.Ala;
using AutoLoss.ML.Datasets;
using AutoLoss.ML.Scoring;
using AutoLoss.ML.Trainers;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Tests;

[TestClass]
public sealed class BinaryTrainerTests
{
    /// <summary>Imbalanced generated data (15% positives, overlapping classes).</summary>
    private static IDataView Imbalanced(MLContext ml, int rows = 800, int seed = 5) =>
        BinaryTasks.ImbalancedGaussian(ml, rows, TestData.Features, 0.15, seed, separation: 3);

    private static AdaptiveLossBinaryTrainer.Options Fast(Action<AdaptiveLossBinaryTrainer.Options>? configure = null) =>
        TestData.Fast(configure: configure);

    public sealed class Prediction
    {
        public bool PredictedLabel { get; set; }
        public float Score { get; set; }
        public float Probability { get; set; }
    }

    [TestMethod]
    public void SimpleOverloadPassesBinaryEvaluateWithScoreProbabilityAndPredictedLabel()
    {
        var ml = new MLContext(seed: 1);
        var data = Imbalanced(ml);
        var model = ml.BinaryClassification.Trainers.AdaptiveLoss(numberOfEpochs: 5, batchSize: 32, learningRate: 0.05).Fit(data);
        var scored = model.Transform(data);
        Assert.AreEqual(NumberDataViewType.Single, scored.Schema["Score"].Type);
        Assert.AreEqual(NumberDataViewType.Single, scored.Schema["Probability"].Type);
        Assert.AreEqual(BooleanDataViewType.Instance, scored.Schema["PredictedLabel"].Type);
        var metrics = ml.BinaryClassification.Evaluate(scored);
        Assert.IsGreaterThan(0.9, metrics.AreaUnderRocCurve);
        Assert.IsGreaterThan(0.6, metrics.AreaUnderPrecisionRecallCurve);
        Assert.IsGreaterThan(0.0, metrics.LogLoss);

        // Score is the margin log p1 - log p0, consistent with Probability and PredictedLabel.
        var scores = scored.GetColumn<float>("Score").ToArray();
        var probabilities = scored.GetColumn<float>("Probability").ToArray();
        var predicted = scored.GetColumn<bool>("PredictedLabel").ToArray();
        for (int i = 0; i < scores.Length; i++)
        {
            Assert.AreEqual(1 / (1 + Math.Exp(-scores[i])), probabilities[i], 1e-4);
            Assert.AreEqual(scores[i] > 0, predicted[i]);
        }
    }

    [TestMethod]
    public void PredictionEngineAndSaveLoadGiveTheSameOutputs()
    {
        var ml = new MLContext(seed: 1);
        var data = Imbalanced(ml, rows: 300);
        var model = ml.BinaryClassification.Trainers.AdaptiveLoss(Fast()).Fit(data);
        var path = Path.Combine(Path.GetTempPath(), $"binary-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.SaveWithAutoLoss(model, data.Schema, path);
            var loaded = ml.Model.LoadWithAutoLoss(path, out _);
            CollectionAssert.AreEqual(model.Transform(data).GetColumn<float>("Probability").ToArray(),
                loaded.Transform(data).GetColumn<float>("Probability").ToArray());
            var rows = ml.Data.CreateEnumerable<BinaryRow>(data, reuseRowObject: false).Take(20).ToList();
            var engine = ml.Model.CreatePredictionEngine<BinaryRow, Prediction>(loaded, inputSchemaDefinition: SchemaFor(TestData.Features));
            var batch = model.Transform(data).GetColumn<float>("Probability").Take(20).ToArray();
            for (int i = 0; i < rows.Count; i++)
            {
                var p = engine.Predict(rows[i]);
                Assert.AreEqual(batch[i], p.Probability, 1e-5);
                Assert.AreEqual(p.Score > 0, p.PredictedLabel);
            }
        }
        finally { File.Delete(path); }
    }

    [TestMethod]
    public void HonoursTheEstimatorContract()
    {
        var ml = new MLContext(seed: 1);
        EstimatorContract.Check(ml, ml.BinaryClassification.Trainers.AdaptiveLoss(Fast()), Imbalanced(ml, rows: 200), TestData.Clusters(ml, rows: 60));
    }

    [TestMethod]
    public void CrossValidateWorksUnchanged()
    {
        var ml = new MLContext(seed: 1);
        var results = ml.BinaryClassification.CrossValidate(Imbalanced(ml, rows: 400), ml.BinaryClassification.Trainers.AdaptiveLoss(Fast()), numberOfFolds: 2);
        Assert.HasCount(2, results);
        Assert.IsTrue(results.All(r => r.Metrics.AreaUnderRocCurve > 0.85));
    }

    [TestMethod]
    public void ParametricAndAlaLossesTrainABinaryStudent()
    {
        var ml = new MLContext(seed: 1);
        var data = Imbalanced(ml, rows: 400);
        var parametric = ml.BinaryClassification.Trainers.AdaptiveLoss(Fast(o => o.Loss = LossOptions.Parametric(new float[,] { { 1, 0.05f }, { 0.05f, 1 } }, 0.73f))).Fit(data);
        Assert.IsGreaterThan(0.85, ml.BinaryClassification.Evaluate(parametric.Transform(data)).AreaUnderRocCurve);

        var log = new List<string>();
        ml.Log += (_, e) => { if (e.Message.Contains("ALA")) lock (log) log.Add(e.Message); };
        var ala = new AlaLossOptions { StepsPerAction = 5, ValidationChecksPerAction = 1, PolicyHiddenSize = 8 };
        var model = ml.BinaryClassification.Trainers.AdaptiveLoss(Fast(o => { o.Loss = ala; o.ValidationFraction = 0.25; })).Fit(data);
        Assert.IsGreaterThan(0.85, ml.BinaryClassification.Evaluate(model.Transform(data)).AreaUnderRocCurve);
        lock (log) Assert.IsTrue(log.Any(l => l.Contains("aligning to AUCPR")), "ALA aligns to AUCPR on a binary task by default:\n" + string.Join("\n", log));
    }

    [TestMethod]
    public void NonBooleanLabelAndNaNFeaturesGiveClearErrors()
    {
        var ml = new MLContext(seed: 1);
        var floatLabel = TestData.Clusters(ml, rows: 60);     // a key-typed label
        var e = Assert.Throws<ArgumentException>(() => ml.BinaryClassification.Trainers.AdaptiveLoss(Fast()).Fit(floatLabel));
        StringAssert.Contains(e.Message, "Label");
        StringAssert.Contains(e.Message, "Boolean");
        Assert.Throws<ArgumentException>(() => ml.BinaryClassification.Trainers.AdaptiveLoss(Fast()).GetOutputSchema(AutoLoss.ML.Catalog.MlNetInternals.SchemaShapeFrom(floatLabel.Schema)));

        var rows = ml.Data.CreateEnumerable<BinaryRow>(Imbalanced(ml, rows: 50), reuseRowObject: false).ToList();
        rows[7].Features[2] = float.NaN;
        var withNaN = ml.Data.LoadFromEnumerable(rows, SchemaFor(TestData.Features));
        var nan = Assert.Throws<InvalidOperationException>(() => ml.BinaryClassification.Trainers.AdaptiveLoss(Fast()).Fit(withNaN));
        StringAssert.Contains(nan.Message, "Features");
        StringAssert.Contains(nan.Message, "row 7");
    }

    [TestMethod]
    public void RegressionLossIsRefusedForABinaryTask()
    {
        var e = Assert.Throws<ArgumentException>(() => new MLContext(1).BinaryClassification.Trainers.AdaptiveLoss(Fast(o => o.Loss = LossOptions.SquaredError())).Fit(Imbalanced(new MLContext(1), rows: 60)));
        StringAssert.Contains(e.Message, "Loss");
    }

    private static SchemaDefinition SchemaFor(int features)
    {
        var schema = SchemaDefinition.Create(typeof(BinaryRow));
        schema[nameof(BinaryRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features);
        return schema;
    }
}
