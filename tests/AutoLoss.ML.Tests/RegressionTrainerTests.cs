using AutoLoss.Core.Students;
using AutoLoss.Core.Teaching;
using AutoLoss.Core.Training;
using AutoLoss.ML.Datasets;
using AutoLoss.ML.Trainers;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Tests;

[TestClass]
public sealed class RegressionTrainerTests
{
    [TestMethod]
    public void LearnsALinearFunctionFromTheSimpleOverloadFarBelowTheMeanBaseline()
    {
        var ml = new MLContext(seed: 1);
        // The seed fixes the function as well as the rows: train and test come from one generated set.
        var all = TestData.Linear(ml, rows: 900);
        var (train, test) = (ml.Data.TakeRows(all, 600), ml.Data.SkipRows(all, 600));
        using var model = ml.Regression.Trainers.AdaptiveLoss(numberOfEpochs: 10, batchSize: 32, learningRate: 0.05).Fit(train);
        double mse = TestData.MeanSquaredError(ml, model, test);
        double baseline = TestData.MeanBaselineMse(train, test);
        Assert.IsGreaterThan(0.5, baseline, "the generated labels vary");
        Assert.IsLessThan(0.05 * baseline, mse, $"test MSE {mse} vs. predict-the-mean {baseline}");
        Assert.AreEqual(10, model.TrainingHistory.Count);
        Assert.IsLessThan(model.TrainingHistory[0].TrainLoss, model.TrainingHistory[^1].TrainLoss, "training loss should fall");
    }

    [TestMethod]
    public void LearnsTheNonlinearFriedmanFunctionBetterThanALinearStudent()
    {
        var ml = new MLContext(seed: 1);
        var train = SyntheticData.Friedman(ml, 1000, TestData.Features, seed: 7);
        var test = SyntheticData.Friedman(ml, 500, TestData.Features, seed: 8);
        double Mse(MlpSpec student)
        {
            using var model = ml.Regression.Trainers.AdaptiveLoss(TestData.FastRegressionOptions(o =>
            {
                o.Student = student;
                o.NumberOfEpochs = 30;
                o.Optimizer = OptimizerKind.Adam;
                o.LearningRate = 0.01;
            })).Fit(train);
            return TestData.MeanSquaredError(ml, model, test);
        }
        double mlp = Mse(new MlpSpec { HiddenSizes = [32] });
        double linear = Mse(new MlpSpec { HiddenSizes = [] });
        double baseline = TestData.MeanBaselineMse(train, test);
        // Label noise has variance 1: the best possible MSE is about 1, predicting the mean about 25.
        Assert.IsLessThan(0.15 * baseline, mlp, $"MLP {mlp} vs. predict-the-mean {baseline}");
        Assert.IsLessThan(0.5 * linear, mlp, $"MLP {mlp} vs. linear student {linear}: the MLP should capture the sine and square terms");
    }

    [TestMethod]
    public void DefaultOptionsLearnLabelsOfAnyMagnitude()
    {
        // Friedman labels lie around 0..30; without standardizing them the default SGD rate 0.1 diverges.
        var ml = new MLContext(seed: 1);
        var train = SyntheticData.Friedman(ml, 1000, TestData.Features, seed: 7);
        var test = SyntheticData.Friedman(ml, 500, TestData.Features, seed: 8);
        using var model = ml.Regression.Trainers.AdaptiveLoss(new AdaptiveLossRegressionTrainer.Options { Student = new MlpSpec { HiddenSizes = [64] }, Seed = 3 }).Fit(train);
        double mse = TestData.MeanSquaredError(ml, model, test);
        Assert.IsLessThan(0.15 * TestData.MeanBaselineMse(train, test), mse);
    }

    [TestMethod]
    public void ScaledAndShiftedLabelsGiveScaledAndShiftedPredictionsAndLosses()
    {
        const float a = 1e4f, b = 1e6f;
        var ml = new MLContext(seed: 1);
        var data = TestData.Linear(ml);
        var shifted = ml.Transforms.CustomMapping<LabelRow, LabelRow>((input, output) => output.Label = a * input.Label + b, contractName: null).Fit(data).Transform(data);
        using var plain = ml.Regression.Trainers.AdaptiveLoss(TestData.FastRegressionOptions(o => o.ValidationData = data)).Fit(data);
        using var big = ml.Regression.Trainers.AdaptiveLoss(TestData.FastRegressionOptions(o => o.ValidationData = shifted)).Fit(shifted);

        var small = TestData.Scores(plain.Transform(data)).Select(s => s[0]).ToArray();
        var large = TestData.Scores(big.Transform(shifted)).Select(s => s[0]).ToArray();
        // Standardized labels are the same up to float rounding, so training is too: within a few float
        // steps at 1e6 (0.0625 each).
        for (int i = 0; i < small.Length; i++)
            Assert.AreEqual(a * small[i] + b, large[i], 0.5, $"row {i}");
        for (int e = 0; e < plain.TrainingHistory.Count; e++)
        {
            Assert.AreEqual(a * a * plain.TrainingHistory[e].TrainLoss, big.TrainingHistory[e].TrainLoss, 1e-3 * a * a * plain.TrainingHistory[e].TrainLoss, "train loss is reported in label units");
            Assert.AreEqual(a * a * plain.TrainingHistory[e].ValidationMeanSquaredError!.Value, big.TrainingHistory[e].ValidationMeanSquaredError!.Value,
                1e-3 * a * a * plain.TrainingHistory[e].ValidationMeanSquaredError!.Value, "validation MSE is reported in label units");
        }
    }

    [TestMethod]
    public void ValidationMeanSquaredErrorIsReportedInLabelUnitsEveryEpoch()
    {
        var ml = new MLContext(seed: 1);
        var train = SyntheticData.Friedman(ml, 600, TestData.Features, seed: 7);
        var validation = SyntheticData.Friedman(ml, 200, TestData.Features, seed: 9);
        var summaries = new List<EpochSummary>();
        using var model = ml.Regression.Trainers.AdaptiveLoss(TestData.FastRegressionOptions(o => { o.ValidationData = validation; o.Progress = summaries.Add; })).Fit(train);
        Assert.HasCount(10, summaries);
        Assert.IsTrue(summaries.All(s => s.ValidationAccuracy is null && s.ValidationLogLoss is null), "regression has no classification metrics");
        Assert.IsTrue(summaries.All(s => s.ValidationLoss == s.ValidationMeanSquaredError));
        // The last epoch's weights are the model's: its validation MSE is ML.NET's MSE on the same rows.
        double evaluated = TestData.MeanSquaredError(ml, model, validation);
        Assert.AreEqual(evaluated, summaries[^1].ValidationMeanSquaredError!.Value, 1e-4 * evaluated);
    }

    [TestMethod]
    public void ValidationFractionHoldsOutRows()
    {
        var ml = new MLContext(seed: 1);
        var messages = new List<string>();
        ml.Log += (_, e) => { lock (messages) messages.Add(e.Message); };
        using var model = ml.Regression.Trainers.AdaptiveLoss(TestData.FastRegressionOptions(o => o.ValidationFraction = 0.25)).Fit(TestData.Linear(ml));
        Assert.IsTrue(model.TrainingHistory.All(s => s.ValidationMeanSquaredError is > 0));
        var summary = messages.Single(m => m.Contains("training rows"));
        int trainRows = int.Parse(summary.Split("AdaptiveLoss: ")[1].Split(' ')[0]);
        Assert.IsTrue(trainRows is > 400 and < 500, summary);
        Assert.IsTrue(messages.Any(m => m.Contains("validation MSE")), "epoch lines carry the validation MSE");
    }

    [TestMethod]
    public void SameMlContextSeedGivesBitIdenticalScores()
    {
        float[] Train()
        {
            var ml = new MLContext(seed: 42);
            var data = TestData.Linear(ml);
            using var model = ml.Regression.Trainers.AdaptiveLoss(TestData.FastRegressionOptions(o => { o.Seed = null; o.Student = new MlpSpec { HiddenSizes = [16], Dropout = 0.2 }; })).Fit(data);
            return TestData.Scores(model.Transform(data)).Select(s => s[0]).ToArray();
        }
        CollectionAssert.AreEqual(Train(), Train());
    }

    [TestMethod]
    public void DifferentMlContextSeedsGiveDifferentModels()
    {
        float FirstScore(int seed)
        {
            var ml = new MLContext(seed: seed);
            var data = TestData.Linear(ml);
            using var model = ml.Regression.Trainers.AdaptiveLoss(TestData.FastRegressionOptions(o => o.Seed = null)).Fit(data);
            return TestData.Scores(model.Transform(data))[0][0];
        }
        Assert.AreNotEqual(FirstScore(1), FirstScore(2));
    }

    [TestMethod]
    public void StreamingAndInMemoryCachingBothLearn()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Linear(ml);
        double baseline = TestData.MeanBaselineMse(data, data);
        using var streamed = ml.Regression.Trainers.AdaptiveLoss(TestData.FastRegressionOptions(o => { o.Caching = DataCaching.Streaming; o.ShufflePoolSize = 50; })).Fit(data);
        using var cached = ml.Regression.Trainers.AdaptiveLoss(TestData.FastRegressionOptions(o => o.Caching = DataCaching.InMemory)).Fit(data);
        Assert.IsLessThan(0.05 * baseline, TestData.MeanSquaredError(ml, streamed, data));
        Assert.IsLessThan(0.05 * baseline, TestData.MeanSquaredError(ml, cached, data));
    }

    [TestMethod]
    public void EarlyStoppingOnValidationMseStopsAndKeepsTheBestEpoch()
    {
        var ml = new MLContext(seed: 1);
        var validation = SyntheticData.Friedman(ml, 200, TestData.Features, seed: 9);
        using var model = ml.Regression.Trainers.AdaptiveLoss(TestData.FastRegressionOptions(o =>
        {
            o.NumberOfEpochs = 50;
            o.ValidationData = validation;
            o.EarlyStoppingPatience = 2;
            o.LearningRate = 0.2; // overshoots, so validation MSE stops improving
        })).Fit(SyntheticData.Friedman(ml, 300, TestData.Features, seed: 7));
        var history = model.TrainingHistory;
        Assert.IsLessThan(50, history.Count, "training should stop early");
        double best = history.Min(h => h.ValidationMeanSquaredError!.Value);
        Assert.AreEqual(1, history.Count(h => h.ValidationMeanSquaredError!.Value == best));
        Assert.AreEqual(best, history[^3].ValidationMeanSquaredError!.Value, "patience 2: the best epoch is two before the last");
        Assert.AreEqual(best, TestData.MeanSquaredError(ml, model, validation), 1e-4 * best, "the model holds the best epoch's weights, not the last's");
    }

    [TestMethod]
    public void ExampleWeightsPullPredictionsTowardsHeavyRows()
    {
        // Labels do not depend on the features: odd rows are 10, even rows 0. Unweighted, the model
        // predicts about 5; weighting odd rows 20 and even rows 0.05 moves it near 10.
        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 400).Select(i => new WeightedRow
        {
            Label = i % 2 == 1 ? 10f : 0f,
            Weight = i % 2 == 1 ? 20f : 0.05f,
            Features = Enumerable.Range(0, TestData.Features).Select(j => MathF.Sin(i * 0.37f + j)).ToArray(),
        }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        using var plain = ml.Regression.Trainers.AdaptiveLoss(TestData.FastRegressionOptions(o => o.Student = new MlpSpec { HiddenSizes = [] })).Fit(data);
        using var weighted = ml.Regression.Trainers.AdaptiveLoss(TestData.FastRegressionOptions(o => { o.Student = new MlpSpec { HiddenSizes = [] }; o.ExampleWeightColumnName = "Weight"; })).Fit(data);
        double Mean(ITransformer m) => TestData.Scores(m.Transform(data)).Average(s => s[0]);
        Assert.AreEqual(5, Mean(plain), 1.5);
        Assert.IsGreaterThan(8.5, Mean(weighted));
    }

    [TestMethod]
    public void SimpleOverloadPassesTheWeightColumn()
    {
        var ml = new MLContext(seed: 1);
        var trainer = ml.Regression.Trainers.AdaptiveLoss(exampleWeightColumnName: "Weight", numberOfEpochs: 3);
        Assert.AreEqual("Weight", trainer.TrainerOptions.ExampleWeightColumnName);
        Assert.AreEqual(3, trainer.TrainerOptions.NumberOfEpochs);
        Assert.AreEqual("LossOptions.SquaredError()", trainer.TrainerOptions.Loss.ToString(), "squared error is the regression default");
        Assert.AreEqual(MetricNames.MeanSquaredError, trainer.TrainerOptions.EarlyStoppingMetric);
    }

    [TestMethod]
    public void CancellationEndsFitWithOperationCanceled()
    {
        var ml = new MLContext(seed: 1);
        using var cts = new CancellationTokenSource();
        var trainer = ml.Regression.Trainers.AdaptiveLoss(TestData.FastRegressionOptions(o =>
        {
            o.NumberOfEpochs = 1000;
            o.CancellationToken = cts.Token;
            o.Progress = s => { if (s.Epoch == 1) cts.Cancel(); };
        }));
        Assert.ThrowsExactly<OperationCanceledException>(() => trainer.Fit(TestData.Linear(ml)));
    }

    public sealed class LabelRow
    {
        public float Label { get; set; }
    }

    private sealed class WeightedRow
    {
        public float Label { get; set; }
        public float Weight { get; set; }
        [VectorType(TestData.Features)] public float[] Features { get; set; } = [];
    }
}
