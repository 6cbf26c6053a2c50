using AutoLoss.Core.Teaching;
using AutoLoss.Core.Teaching.L2tDlf;
using Microsoft.ML;

namespace AutoLoss.ML.Tests;

/// <summary>A quick measured comparison of cross-entropy and L2T-DLF (not a unit test: runs only when
/// the environment variable AUTOLOSS_COMPARE=1, and reports instead of asserting).</summary>
[TestClass]
public sealed class L2tDlfComparisonTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [TestCategory("Comparison")]
    public void CrossEntropyVersusL2tDlfOnHardClusters()
    {
        if (Environment.GetEnvironmentVariable("AUTOLOSS_COMPARE") != "1")
            Assert.Inconclusive("Set AUTOLOSS_COMPARE=1 to run the comparison.");
        foreach (int seed in new[] { 3, 4, 5 })
        {
            var ml = new MLContext(seed: 1);
            var split = ml.Data.TrainTestSplit(TestData.Clusters(ml, rows: 3000, seed: 7, separation: 1.2f), testFraction: 0.3, seed: 1);
            foreach (var (name, loss) in new (string, LossOptions)[]
            {
                ("cross-entropy", LossOptions.CrossEntropy()),
                ("L2T-DLF", new L2tDlfLossOptions { UnrollSteps = 10, StudentStepsPerTeacherUpdate = 20 }),
            })
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                using var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o =>
                {
                    o.Loss = loss;
                    o.ValidationFraction = 0.2;
                    o.NumberOfEpochs = 10;
                    o.Seed = seed;
                })).Fit(split.TrainSet);
                TestContext.WriteLine($"seed {seed} {name}: test accuracy {TestData.Accuracy(ml, model, split.TestSet):P2}, fit {clock.Elapsed.TotalSeconds:F1}s");
            }
        }
    }
}
