using AutoLoss.Core.Students;
using AutoLoss.Core.Teaching;
using AutoLoss.Core.Training;
using AutoLoss.ML.Datasets;
using AutoLoss.ML.Scoring;
using AutoLoss.ML.Trainers;
using Microsoft.ML;

namespace AutoLoss.ML.Tests;

[TestClass]
public sealed class MulticlassTrainerTests
{
    [TestMethod]
    public void LearnsSeparableClustersFromTheSimpleOverload()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Clusters(ml);
        using var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(numberOfEpochs: 5, batchSize: 32, learningRate: 0.05).Fit(data);
        Assert.IsGreaterThan(0.95f, TestData.Accuracy(ml, model, data));
        Assert.AreEqual(5, model.TrainingHistory.Count);
        Assert.IsTrue(model.TrainingHistory[^1].TrainLoss < model.TrainingHistory[0].TrainLoss, "training loss should fall");
    }

    [TestMethod]
    public void LearnsRealDigitsAboveNinetyPercentInTwoEpochs()
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = Digits.LoadSplit(ml);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.AdaptiveLoss(new AdaptiveLossMulticlassTrainer.Options { NumberOfEpochs = 2, Student = new MlpSpec { HiddenSizes = [128] } }));
        var model = pipeline.Fit(train);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
        model.LastTransformer.Dispose();
        Assert.IsGreaterThan(0.9, metrics.MicroAccuracy);
    }

    [TestMethod]
    public void SameMlContextSeedGivesBitIdenticalModels()
    {
        float[][] Train()
        {
            var ml = new MLContext(seed: 42);
            var data = TestData.Clusters(ml);
            using var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o => { o.Seed = null; o.Student = new MlpSpec { HiddenSizes = [16], Dropout = 0.2 }; })).Fit(data);
            return TestData.Scores(model.Transform(data)).ToArray();
        }
        var first = Train();
        var second = Train();
        for (int i = 0; i < first.Length; i++)
            CollectionAssert.AreEqual(first[i], second[i], $"row {i}");
    }

    [TestMethod]
    public void DifferentMlContextSeedsGiveDifferentModels()
    {
        float[] FirstScore(int seed)
        {
            var ml = new MLContext(seed: seed);
            var data = TestData.Clusters(ml);
            using var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o => o.Seed = null)).Fit(data);
            return TestData.Scores(model.Transform(data))[0];
        }
        CollectionAssert.AreNotEqual(FirstScore(1), FirstScore(2));
    }

    [TestMethod]
    public void StreamingAndInMemoryCachingBothLearn()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Clusters(ml);
        using var streamed = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o => { o.Caching = DataCaching.Streaming; o.ShufflePoolSize = 50; })).Fit(data);
        using var cached = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o => o.Caching = DataCaching.InMemory)).Fit(data);
        Assert.IsGreaterThan(0.95f, TestData.Accuracy(ml, streamed, data));
        Assert.IsGreaterThan(0.95f, TestData.Accuracy(ml, cached, data));
    }

    [TestMethod]
    public void EveryOptimiserScheduleAndActivationTrains()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Clusters(ml);
        var variants = new List<Action<AdaptiveLossMulticlassTrainer.Options>>
        {
            o => { o.Optimizer = OptimizerKind.Adam; o.LearningRate = 0.01; },
            o => { o.WeightDecay = 1e-3; o.Momentum = 0; },
            o => { o.LearningRateSchedule = LearningRateSchedule.Step; o.LearningRateDecayEpochs = 2; o.LearningRateDecayFactor = 0.5; },
            o => o.LearningRateSchedule = LearningRateSchedule.Cosine,
            o => o.Student = new MlpSpec { HiddenSizes = [16, 8], Activation = Activation.Tanh, Dropout = 0.1 },
            o => o.Student = new MlpSpec { HiddenSizes = [16], Activation = Activation.Gelu },
            o => o.Student = new MlpSpec { HiddenSizes = [16], Activation = Activation.LeakyRelu },
            o => { o.Student = new MlpSpec { HiddenSizes = [16], Activation = Activation.Sigmoid }; o.LearningRate = 0.2; },
            o => o.Student = new MlpSpec { HiddenSizes = [] },
            o => o.Device = ComputeDevice.Cpu,
        };
        foreach (var configure in variants)
        {
            using var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o => { o.NumberOfEpochs = 8; configure(o); })).Fit(data);
            Assert.IsGreaterThan(0.9f, TestData.Accuracy(ml, model, data), model.Student.ToString());
        }
    }

    [TestMethod]
    public void StepScheduleDecaysTheLearningRateEveryNEpochs()
    {
        var ml = new MLContext(seed: 1);
        using var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o =>
        {
            o.LearningRate = 0.08; o.LearningRateSchedule = LearningRateSchedule.Step; o.LearningRateDecayEpochs = 2; o.LearningRateDecayFactor = 0.5;
        })).Fit(TestData.Clusters(ml));
        CollectionAssert.AreEqual(new[] { 0.08, 0.08, 0.04, 0.04, 0.02 }, model.TrainingHistory.Select(h => Math.Round(h.LearningRate, 6)).ToArray());
    }

    [TestMethod]
    public void ParametricLossTrainsAStudent()
    {
        var ml = new MLContext(seed: 1);
        var identity = new float[3, 3];
        for (int i = 0; i < 3; i++) identity[i, i] = 1;
        using var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o =>
        {
            o.Loss = LossOptions.Parametric(identity, MathF.Log(3));
            o.NumberOfEpochs = 10;
        })).Fit(TestData.Clusters(ml));
        Assert.IsGreaterThan(0.9f, TestData.Accuracy(ml, model, TestData.Clusters(ml)));
        Assert.IsTrue(model.TrainingHistory.All(h => h.TrainLoss < 0), "the parametric loss -sigmoid(.) is negative");
    }

    [TestMethod]
    public void ValidationFractionReportsValidationMetricsEveryEpoch()
    {
        var ml = new MLContext(seed: 1);
        var summaries = new List<EpochSummary>();
        using var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o =>
        {
            o.ValidationFraction = 0.2;
            o.Progress = summaries.Add;
        })).Fit(TestData.Clusters(ml));
        Assert.HasCount(5, summaries);
        Assert.IsTrue(summaries.All(s => s.ValidationAccuracy is > 0.5 && s.ValidationLogLoss is > 0));
    }

    [TestMethod]
    public void ExplicitValidationDataIsUsed()
    {
        var ml = new MLContext(seed: 1);
        var train = TestData.Clusters(ml, seed: 7);
        var validation = TestData.Clusters(ml, rows: 90, seed: 8);
        using var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o => o.ValidationData = validation)).Fit(train);
        Assert.IsNotNull(model.TrainingHistory[0].ValidationAccuracy);
    }

    [TestMethod]
    public void EarlyStoppingStopsAndKeepsTheBestEpoch()
    {
        var ml = new MLContext(seed: 1);
        using var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o =>
        {
            o.NumberOfEpochs = 50;
            o.ValidationFraction = 0.2;
            o.EarlyStoppingPatience = 2;
            o.EarlyStoppingMetric = MetricNames.LogLoss;
            o.LearningRate = 0.5; // overshoots quickly, so validation log-loss stops improving
        })).Fit(TestData.Clusters(ml, separation: 2f));
        Assert.IsLessThan(50, model.TrainingHistory.Count, "training should stop early");
        double best = model.TrainingHistory.Min(h => h.ValidationLogLoss!.Value);
        var bestEpochs = model.TrainingHistory.Count(h => h.ValidationLogLoss!.Value == best);
        Assert.AreEqual(1, bestEpochs);
        Assert.AreEqual(best, model.TrainingHistory[^3].ValidationLogLoss!.Value, "patience 2: the best epoch is two before the last");
    }

    [TestMethod]
    public void ExampleWeightsChangeTheModel()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Clusters(ml);
        // Weight class 1 (key 2) heavily: its predicted share must grow.
        var weighted = TestData.WithWeights(ml, data, key => key == 2 ? 20f : 0.05f);
        using var plain = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o => o.NumberOfEpochs = 1)).Fit(weighted);
        using var skewed = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o => { o.NumberOfEpochs = 1; o.ExampleWeightColumnName = "Weight"; })).Fit(weighted);
        double MeanClassOneProbability(ITransformer m) => TestData.Scores(m.Transform(weighted)).Average(s => s[1]);
        Assert.IsGreaterThan(MeanClassOneProbability(plain) + 0.05, MeanClassOneProbability(skewed));
    }

    [TestMethod]
    public void ProgressAndMlContextLogReceiveEpochMessages()
    {
        var ml = new MLContext(seed: 1);
        var messages = new List<string>();
        ml.Log += (_, e) => { lock (messages) messages.Add(e.Message); };
        int progressCalls = 0;
        using var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o => o.Progress = _ => progressCalls++)).Fit(TestData.Clusters(ml));
        Assert.AreEqual(5, progressCalls);
        Assert.IsTrue(messages.Any(m => m.Contains("epoch 5: train loss")), string.Join("\n", messages.Take(20)));
    }

    [TestMethod]
    public void CancellationEndsFitWithOperationCanceled()
    {
        var ml = new MLContext(seed: 1);
        using var cts = new CancellationTokenSource();
        var trainer = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o =>
        {
            o.NumberOfEpochs = 1000;
            o.CancellationToken = cts.Token;
            o.Progress = s => { if (s.Epoch == 1) cts.Cancel(); };
        }));
        Assert.ThrowsExactly<OperationCanceledException>(() => trainer.Fit(TestData.Clusters(ml)));
    }

    [TestMethod]
    public void AlreadyCancelledTokenStopsBeforeTraining()
    {
        var ml = new MLContext(seed: 1);
        var trainer = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o => o.CancellationToken = new CancellationToken(canceled: true)));
        Assert.ThrowsExactly<OperationCanceledException>(() => trainer.Fit(TestData.Clusters(ml)));
    }

    [TestMethod]
    public void RowsWithMissingLabelsAreSkipped()
    {
        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 200).Select(i => new TestData.Row
        {
            Label = i % 10 == 0 ? float.NaN : i % 2,
            Features = Enumerable.Range(0, TestData.Features).Select(j => (float)((i % 2) * 2 - 1) + j * 0.01f).ToArray(),
        });
        var raw = ml.Data.LoadFromEnumerable(rows.ToList());
        var data = ml.Transforms.Conversion.MapValueToKey("Label").Fit(raw).Transform(raw);
        using var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions()).Fit(data);
        Assert.IsGreaterThan(0.9f, TestData.Accuracy(ml, model, data));
    }
}
