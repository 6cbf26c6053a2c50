using AutoLoss.ML.Datasets;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Tests;

[TestClass]
public sealed class SmokeTests
{
    [TestMethod]
    public void TrainsOnDigits()
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = Digits.LoadSplit(ml);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.AdaptiveLoss(numberOfEpochs: 3));
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var model = pipeline.Fit(train);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
        Console.WriteLine($"acc {metrics.MicroAccuracy} in {sw.Elapsed}");
        Assert.IsTrue(metrics.MicroAccuracy > 0.9);
    }
}
