using AutoLoss.ML.Datasets;
using AutoLoss.ML.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Tests;

[TestClass]
public sealed class RegressionScoringTests
{
    private static (MLContext Ml, IDataView Data, AdaptiveLossRegressionTransformer Model) Fit()
    {
        var ml = new MLContext(seed: 1);
        var data = SyntheticData.Friedman(ml, 600, TestData.Features, seed: 7);
        return (ml, data, ml.Regression.Trainers.AdaptiveLoss(TestData.FastRegressionOptions(o => o.NumberOfEpochs = 20)).Fit(data));
    }

    [TestMethod]
    public void ScoreIsASingleMarkedAsARegressionScore()
    {
        var (_, data, model) = Fit();
        using (model)
        {
            var score = model.Transform(data).Schema["Score"];
            Assert.AreEqual(NumberDataViewType.Single, score.Type);
            ReadOnlyMemory<char> kind = default;
            score.Annotations.GetValue("ScoreColumnKind", ref kind);
            Assert.AreEqual("Regression", kind.ToString());
            Assert.AreEqual(data.Schema.Count + 1, model.Transform(data).Schema.Count, "only Score is appended");
        }
    }

    [TestMethod]
    public void EvaluateGivesTheMeanSquaredErrorOfTheScores()
    {
        var (ml, data, model) = Fit();
        using (model)
        {
            var scored = model.Transform(data);
            var metrics = ml.Regression.Evaluate(scored);
            var labels = scored.GetColumn<float>("Label").ToArray();
            var scores = scored.GetColumn<float>("Score").ToArray();
            double mse = labels.Zip(scores).Average(p => (double)(p.First - p.Second) * (p.First - p.Second));
            Assert.AreEqual(mse, metrics.MeanSquaredError, 1e-6 * mse);
            Assert.IsGreaterThan(0.8, metrics.RSquared);
        }
    }

    [TestMethod]
    public void CrossValidateRunsEveryFold()
    {
        var ml = new MLContext(seed: 1);
        var data = SyntheticData.Friedman(ml, 600, TestData.Features, seed: 7);
        var results = ml.Regression.CrossValidate(data, ml.Regression.Trainers.AdaptiveLoss(TestData.FastRegressionOptions(o => o.NumberOfEpochs = 20)), numberOfFolds: 3);
        Assert.HasCount(3, results);
        Assert.IsTrue(results.All(r => r.Metrics.RSquared > 0.5), string.Join(", ", results.Select(r => r.Metrics.RSquared)));
        foreach (var r in results) ((IDisposable)r.Model).Dispose();
    }

    [TestMethod]
    public void PredictionEngineMatchesTransform()
    {
        var (ml, data, model) = Fit();
        using (model)
        {
            var engine = ml.Model.CreatePredictionEngine<TestData.Row, TestData.RegressionPrediction>(model);
            var rows = ml.Data.CreateEnumerable<TestData.Row>(data, reuseRowObject: false).Take(50).ToList();
            var batch = TestData.Scores(model.Transform(ml.Data.LoadFromEnumerable(rows))).Select(s => s[0]).ToArray();
            for (int i = 0; i < rows.Count; i++)
            {
                // The managed one-row forward may round differently from a TorchSharp batch.
                float single = engine.Predict(rows[i]).Score;
                Assert.AreEqual(batch[i], single, 1e-5 * Math.Max(1, Math.Abs(batch[i])), $"row {i}");
            }
        }
    }

    [TestMethod]
    public void NonlinearStudentScoresThroughTorchSharpAndAgreesWithTheManagedPath()
    {
        // GELU has no managed form, so single rows go through TorchSharp too: both paths still map
        // the output back to label units.
        var ml = new MLContext(seed: 1);
        var data = SyntheticData.Friedman(ml, 300, TestData.Features, seed: 7);
        using var model = ml.Regression.Trainers.AdaptiveLoss(TestData.FastRegressionOptions(o => o.Student = new AutoLoss.MlpSpec { HiddenSizes = [16], Activation = AutoLoss.Activation.Gelu })).Fit(data);
        var engine = ml.Model.CreatePredictionEngine<TestData.Row, TestData.RegressionPrediction>(model);
        var row = ml.Data.CreateEnumerable<TestData.Row>(data, reuseRowObject: false).First();
        float batch = TestData.Scores(model.Transform(data))[0][0];
        Assert.AreEqual(batch, engine.Predict(row).Score, 1e-5 * Math.Max(1, Math.Abs(batch)));
        Assert.IsGreaterThan(5f, batch, "predictions are in label units (Friedman labels lie around 14)");
    }

    [TestMethod]
    public void ScoringDataWithAnotherFeatureSizeIsRejected()
    {
        var (ml, _, model) = Fit();
        using (model)
        {
            var other = SyntheticData.Friedman(ml, 10, TestData.Features + 2, seed: 1);
            var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => model.Transform(other));
            StringAssert.Contains(error.Message, "'Features'");
            StringAssert.Contains(error.Message, "trained on 8");
            Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Model.CreatePredictionEngine<WideRow, TestData.RegressionPrediction>(model));
        }
    }

    [TestMethod]
    public void TransformIsLazy()
    {
        var (_, data, model) = Fit();
        using (model)
        {
            var scored = model.Transform(data);
            using var cursor = scored.GetRowCursor([scored.Schema["Label"]]);
            Assert.IsFalse(cursor.IsColumnActive(scored.Schema["Score"]));
            Assert.IsTrue(cursor.MoveNext());
        }
    }

    private sealed class WideRow
    {
        public float Label { get; set; }
        [VectorType(TestData.Features + 2)] public float[] Features { get; set; } = [];
    }
}
