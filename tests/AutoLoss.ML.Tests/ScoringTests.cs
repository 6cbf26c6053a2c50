using System.Diagnostics;
using AutoLoss.ML.Datasets;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Tests;

[TestClass]
public sealed class ScoringTests
{
    private static (MLContext Ml, IDataView Raw, ITransformer Model) FitPipeline()
    {
        var ml = new MLContext(seed: 1);
        var raw = SyntheticData.GaussianClusters(ml, 600, TestData.Features, TestData.Classes, seed: 7, separation: 4f);
        // Keys ordered by value, so key k holds class value k - 1.
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: Microsoft.ML.Transforms.ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Append(ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions()))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedValue", "PredictedLabel"));
        return (ml, raw, pipeline.Fit(raw));
    }

    [TestMethod]
    public void ScoreHasSlotNamesAndPredictedLabelHasTheLabelsKeyValues()
    {
        var (ml, raw, model) = FitPipeline();
        var schema = model.Transform(raw).Schema;
        var score = schema["Score"];
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 3), score.Type);
        VBuffer<ReadOnlyMemory<char>> slotNames = default;
        score.GetSlotNames(ref slotNames);
        var labelKeys = schema["Label"];
        VBuffer<float> labelValues = default;
        labelKeys.GetKeyValues(ref labelValues);
        CollectionAssert.AreEqual(labelValues.DenseValues().Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
            slotNames.DenseValues().Select(s => s.ToString()).ToArray());

        var predicted = schema["PredictedLabel"];
        Assert.AreEqual(new KeyDataViewType(typeof(uint), 3), predicted.Type);
        VBuffer<float> predictedValues = default;
        predicted.GetKeyValues(ref predictedValues);
        CollectionAssert.AreEqual(labelValues.DenseValues().ToArray(), predictedValues.DenseValues().ToArray());
        Assert.AreEqual(NumberDataViewType.Single, schema["PredictedValue"].Type, "MapKeyToValue maps back to the original float labels");
    }

    [TestMethod]
    public void ScoresAreProbabilitiesAndPredictedLabelIsTheirArgMax()
    {
        var (ml, raw, model) = FitPipeline();
        var scored = model.Transform(raw);
        using var cursor = scored.GetRowCursor(scored.Schema);
        var scoreGetter = cursor.GetGetter<VBuffer<float>>(scored.Schema["Score"]);
        var keyGetter = cursor.GetGetter<uint>(scored.Schema["PredictedLabel"]);
        var labelGetter = cursor.GetGetter<uint>(scored.Schema["Label"]);
        VBuffer<float> score = default;
        int rows = 0;
        while (cursor.MoveNext())
        {
            scoreGetter(ref score);
            uint key = 0, label = 0;
            keyGetter(ref key);
            labelGetter(ref label);
            var values = score.DenseValues().ToArray();
            Assert.AreEqual(1.0, values.Sum(), 1e-4);
            Assert.AreEqual((uint)Array.IndexOf(values, values.Max()) + 1, key);
            Assert.IsTrue(label is >= 1 and <= 3, "input columns pass through");
            rows++;
        }
        Assert.AreEqual(600, rows, "every row is scored, across several scoring batches");
    }

    [TestMethod]
    public void EvaluateGivesTheSameAccuracyAsCountingArgMaxes()
    {
        var (ml, raw, model) = FitPipeline();
        var scored = model.Transform(raw);
        var metrics = ml.MulticlassClassification.Evaluate(scored);
        var labels = scored.GetColumn<uint>("Label").ToArray();
        var predicted = scored.GetColumn<uint>("PredictedLabel").ToArray();
        Assert.AreEqual(labels.Zip(predicted).Count(p => p.First == p.Second) / (double)labels.Length, metrics.MicroAccuracy, 1e-9);
        Assert.AreEqual(3, metrics.ConfusionMatrix.NumberOfClasses);
    }

    [TestMethod]
    public void CrossValidateRunsEveryFold()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Clusters(ml);
        var results = ml.MulticlassClassification.CrossValidate(data, ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions()), numberOfFolds: 3);
        Assert.HasCount(3, results);
        Assert.IsTrue(results.All(r => r.Metrics.MicroAccuracy > 0.9));
        foreach (var r in results) ((IDisposable)r.Model).Dispose();
    }

    [TestMethod]
    public void PredictionEngineMatchesTransform()
    {
        var (ml, raw, model) = FitPipeline();
        var engine = ml.Model.CreatePredictionEngine<TestData.Row, DigitLikePrediction>(model);
        var rows = ml.Data.CreateEnumerable<TestData.Row>(raw, reuseRowObject: false).Take(50).ToList();
        var batchScores = TestData.Scores(model.Transform(ml.Data.LoadFromEnumerable(rows)));
        for (int i = 0; i < rows.Count; i++)
        {
            var prediction = engine.Predict(rows[i]);
            // A one-row forward pass may use other BLAS kernels than a batch: equal up to float rounding.
            for (int c = 0; c < prediction.Score.Length; c++)
                Assert.AreEqual(batchScores[i][c], prediction.Score[c], 1e-6 + 1e-5 * batchScores[i][c], $"row {i}, class {c}");
            Assert.AreEqual(Array.IndexOf(prediction.Score, prediction.Score.Max()), (int)prediction.PredictedValue, "PredictedValue is the argmax class");
        }
    }

    [TestMethod]
    public void ThousandsOfPredictionEngineCallsDoNotGrowNativeMemory()
    {
        var (ml, raw, model) = FitPipeline();
        var engine = ml.Model.CreatePredictionEngine<TestData.Row, DigitLikePrediction>(model);
        var row = ml.Data.CreateEnumerable<TestData.Row>(raw, reuseRowObject: false).First();
        for (int i = 0; i < 2000; i++) engine.Predict(row); // warm up allocator pools
        GC.Collect();
        long before = Process.GetCurrentProcess().WorkingSet64;
        for (int i = 0; i < 20000; i++) engine.Predict(row);
        GC.Collect();
        long growth = Process.GetCurrentProcess().WorkingSet64 - before;
        Assert.IsLessThan(32L << 20, growth, $"working set grew by {growth / 1048576.0:F1} MB over 20,000 predictions");
    }

    [TestMethod]
    public void ScoringDataWithAnotherFeatureSizeIsRejected()
    {
        var (ml, _, model) = FitPipeline();
        var other = SyntheticData.GaussianClusters(ml, 10, TestData.Features + 2, TestData.Classes, seed: 1);
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => model.Transform(other));
        StringAssert.Contains(error.Message, "Features");
        StringAssert.Contains(error.Message, "trained on 8");
    }

    [TestMethod]
    public void TransformIsLazy()
    {
        var (ml, raw, model) = FitPipeline();
        var scored = model.Transform(raw); // no work yet
        using var cursor = scored.GetRowCursor([scored.Schema["Label"]]);
        Assert.IsFalse(cursor.IsColumnActive(scored.Schema["Score"]));
        Assert.IsTrue(cursor.MoveNext());
    }

    public sealed class DigitLikePrediction
    {
        public float[] Score { get; set; } = [];

        public float PredictedValue { get; set; }
    }
}
