using AutoLoss.Core.Teaching.Ala;
using AutoLoss.ML.Datasets;
using Microsoft.ML;

namespace AutoLoss.ML.Tests;

[TestClass]
public sealed class RefitTests
{
    /// <summary>Training rows from one set of clusters, validation rows from clusters placed elsewhere (another
    /// generator seed), both keyed by the same fitted MapValueToKey.</summary>
    private static (MLContext Ml, IDataView Train, IDataView Validation) ShiftedValidation()
    {
        var ml = new MLContext(seed: 1);
        var trainRaw = SyntheticData.GaussianClusters(ml, 400, TestData.Features, TestData.Classes, 7, 4f);
        var validationRaw = SyntheticData.GaussianClusters(ml, 200, TestData.Features, TestData.Classes, 99, 4f);
        var keys = ml.Transforms.Conversion.MapValueToKey("Label").Fit(trainRaw);
        return (ml, keys.Transform(trainRaw), keys.Transform(validationRaw));
    }

    [TestMethod]
    public void RefitOnAllDataLearnsTheValidationRowsToo()
    {
        var (ml, train, validation) = ShiftedValidation();
        var log = new List<string>();
        ml.Log += (_, e) => { if (e.Message.Contains("Refit:", StringComparison.Ordinal)) lock (log) log.Add(e.Message); };
        ITransformer Fit(bool refit) => ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o =>
        {
            o.ValidationData = validation;
            o.RefitOnAllData = refit;
            o.NumberOfEpochs = 8;
        })).Fit(train);

        double without = TestData.Accuracy(ml, Fit(false), validation);
        double with = TestData.Accuracy(ml, Fit(true), validation);
        Assert.IsGreaterThan(without + 0.1, with, $"the refit student has seen the validation rows: {with:P1} vs {without:P1}");
        Assert.IsGreaterThan(0.9, with);
        lock (log) Assert.IsTrue(log.Any(l => l.Contains("(600)") && l.Contains("8 epochs")), string.Join("\n", log));
    }

    [TestMethod]
    public void RefitKeepsTheEpochsEarlyStoppingChose()
    {
        var (ml, train, _) = ShiftedValidation();
        var log = new List<string>();
        ml.Log += (_, e) => { if (e.Message.Contains("Early stopping after") || e.Message.Contains("Refit:", StringComparison.Ordinal)) lock (log) log.Add(e.Message); };
        ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o =>
        {
            o.ValidationFraction = 0.25;
            o.RefitOnAllData = true;
            o.NumberOfEpochs = 30;
            o.EarlyStoppingPatience = 1;
            o.EarlyStoppingMetric = MetricNames.LogLoss;
        })).Fit(train);
        lock (log)
        {
            var stop = log.Single(l => l.Contains("Early stopping after"));
            int kept = int.Parse(System.Text.RegularExpressions.Regex.Match(stop, @"keeping epoch (\d+)").Groups[1].Value);
            Assert.IsTrue(log.Any(l => l.Contains("Refit:") && l.Contains($"for {kept} epochs") && l.Contains("(400)")), string.Join("\n", log));
        }
    }

    [TestMethod]
    public void AlaRefitReplaysThePhiTrajectoryWithoutNewDecisions()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Clusters(ml, rows: 300);
        var loss = new AlaLossOptions { StepsPerAction = 5, ValidationChecksPerAction = 1, PolicyHiddenSize = 8, Children = 1 };
        int decisions = 0, policies = 0;
        loss.ActionCompleted += _ => decisions++;
        loss.PolicyTrained += _ => policies++;
        var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o => { o.Loss = loss; o.ValidationFraction = 0.2; o.RefitOnAllData = true; })).Fit(data);
        // 240 training rows / batch 32 = 8 steps per epoch, 5 epochs = 40 steps: decisions at steps 0, 5, ..., 35.
        Assert.AreEqual(8, decisions, "the refit student replays Phi_t; the controller takes no decisions for it");
        Assert.AreEqual(1, policies);
        Assert.IsGreaterThan(0.8, TestData.Accuracy(ml, model, data));
    }

    [TestMethod]
    public void RefitWithoutValidationDataIsRefused()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Clusters(ml, rows: 100);
        var e = Assert.ThrowsExactly<ArgumentException>(() => ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o => o.RefitOnAllData = true)).Fit(data));
        StringAssert.Contains(e.Message, "RefitOnAllData");
        StringAssert.Contains(e.Message, "ValidationFraction");
    }
}
