using AutoLoss.Core.Data;
using AutoLoss.Core.Losses;
using AutoLoss.Core.Training;
using static TorchSharp.torch;

namespace AutoLoss.ML.Tests;

[TestClass]
public sealed class TemperatureScaledLogLossTests
{
    // Three rows of three classes: two right with different margins, one wrong.
    private static readonly float[] Logits = [2f, 0f, -1f, 0.5f, 1.5f, 0f, 1f, 0.2f, 0.8f];
    private static readonly int[] Labels = [0, 1, 2];

    private static double PlainLogLoss(float[] z, double beta = 1)
    {
        double sum = 0;
        for (int i = 0; i < Labels.Length; i++)
        {
            var row = z.Skip(3 * i).Take(3).Select(v => beta * v).ToArray();
            sum += Math.Log(row.Sum(Math.Exp)) - row[Labels[i]];
        }
        return sum / Labels.Length;
    }

    [TestMethod]
    public void ItIsTheLowestLogLossOverTemperaturesAndIgnoresTheScaleOfTheLogits()
    {
        var (loss, beta) = TemperatureScaledLogLoss.Compute(Logits, Labels, 3);
        double bruteForce = Enumerable.Range(1, 4000).Min(k => PlainLogLoss(Logits, k / 1000.0));
        Assert.AreEqual(bruteForce, loss, 1e-6, "the minimum over beta");
        Assert.AreEqual(PlainLogLoss(Logits, beta), loss, 1e-9, "attained at the returned beta");
        Assert.IsLessThan(PlainLogLoss(Logits), loss);

        var shrunk = Logits.Select(v => v * 0.25f).ToArray();   // what a weight penalty does to confident logits
        Assert.AreEqual(loss, TemperatureScaledLogLoss.Compute(shrunk, Labels, 3).LogLoss, 1e-6, "unchanged by scaling the logits");
        Assert.IsGreaterThan(PlainLogLoss(Logits) + 0.05, PlainLogLoss(shrunk), "while plain log-loss changes");
    }

    [TestMethod]
    public void UninformativeLogitsScoreLnCAndSeparableOnesApproachZero()
    {
        Assert.AreEqual(Math.Log(3), TemperatureScaledLogLoss.Compute([1f, 2f, 0f, 1f, 2f, 0f, 1f, 2f, 0f], Labels, 3).LogLoss, 1e-9,
            "the same logits for every class label: best beta is 0");
        Assert.IsLessThan(1e-3, TemperatureScaledLogLoss.Compute([1f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 1f], Labels, 3).LogLoss);
    }

    /// <summary>A student whose outputs are its features (the logits above): its validation measure is the
    /// temperature-scaled log-loss of those logits, below its plain log-loss.</summary>
    [TestMethod]
    public void ValidationMetricOfAStudentIsTheTemperatureScaledLogLossOfItsLogits()
    {
        using var data = new InMemoryDataset(Logits, Labels.Select(y => (long)y).ToArray(), null, 3, CPU);
        using var identity = nn.Identity();
        double calibrated = ValidationMetrics.CalibratedLogLoss(identity, data);
        Assert.AreEqual(TemperatureScaledLogLoss.Compute(Logits, Labels, 3).LogLoss, calibrated, 1e-9);
        Assert.AreEqual(PlainLogLoss(Logits), ValidationMetrics.Evaluate(identity, data).LogLoss, 1e-5);
        Assert.IsLessThan(ValidationMetrics.Evaluate(identity, data).LogLoss, calibrated);
    }

    [TestMethod]
    public void BadSizesAndLabelsGiveClearErrors()
    {
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => TemperatureScaledLogLoss.Compute(Logits, [0, 1], 3)).Message, "rows of 3 classes");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => TemperatureScaledLogLoss.Compute(Logits, [0, 1, 3], 3)).Message, "Label 3");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => TemperatureScaledLogLoss.Compute([1f], [0], 1)).Message, "at least 2 classes");
    }
}
