using Microsoft.ML;
using static TorchSharp.torch;

namespace AutoLoss.ML.Tests.Robustness;

/// <summary>The robust fixed losses: their formulas on a hand-computed row, training, and refusals.</summary>
[TestClass]
public sealed class RobustLossTests
{
    // One row, logits (1, 2, 0.5), label 1: softmax and its logarithms computed here in double precision.
    private static readonly double[] Logits = [1, 2, 0.5];
    private static double[] LogP()
    {
        double max = Logits.Max(), sum = Logits.Sum(z => Math.Exp(z - max));
        return Logits.Select(z => z - max - Math.Log(sum)).ToArray();
    }

    private static double Value(IPerExampleLoss loss)
    {
        using var outputs = tensor(Logits.Select(v => (float)v).ToArray(), [1, 3]);
        using var labels = tensor(new long[] { 1 });
        using var value = loss.Compute(outputs, labels);
        CollectionAssert.AreEqual(new long[] { 1 }, value.shape, "one value per row");
        return value.item<float>();
    }

    [TestMethod]
    public void EachRobustLossComputesItsPapersFormula()
    {
        var logp = LogP();
        double logpy = logp[1], py = Math.Exp(logpy), ce = -logpy;
        Assert.AreEqual((1 - Math.Pow(py, 0.7)) / 0.7, Value(new GeneralizedCrossEntropyLoss(0.7)), 1e-6, "GCE (1 - p_y^q) / q");
        Assert.AreEqual(0.1 * ce + 1.0 * 4 * (1 - py), Value(new SymmetricCrossEntropyLoss(0.1, 1)), 1e-6, "SCE alpha CE + beta 4 (1 - p_y)");
        Assert.AreEqual(2 * (logpy / logp.Sum()) + 0.5 * 4 * (1 - py), Value(new ActivePassiveLoss(2, 0.5)), 1e-6, "NCE + RCE");
        Assert.AreEqual(ce + 1 * (1 - py), Value(new Poly1Loss(1)), 1e-6, "Poly-1 CE + epsilon (1 - p_y)");
        Assert.AreEqual(0.9 * ce + 0.1 * -logp.Average(), Value(new LabelSmoothingLoss(0.1)), 1e-6, "label smoothing");
        Assert.AreEqual(ce, Value(new GeneralizedCrossEntropyLoss(1e-6)), 1e-4, "GCE tends to cross-entropy as q -> 0");
    }

    [TestMethod]
    [DataRow("gce")]
    [DataRow("sce")]
    [DataRow("nce+rce")]
    [DataRow("poly1")]
    [DataRow("smoothing")]
    public void EachRobustLossTrainsAClassifier(string name)
    {
        var loss = name switch
        {
            "gce" => LossOptions.GeneralizedCrossEntropy(),
            "sce" => LossOptions.SymmetricCrossEntropy(),
            "nce+rce" => LossOptions.ActivePassive(),
            "poly1" => LossOptions.Poly1(),
            _ => LossOptions.LabelSmoothing(),
        };
        var ml = new MLContext(seed: 1);
        var data = TestData.Clusters(ml, rows: 300);
        using var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o => { o.Loss = loss; o.NumberOfEpochs = 10; })).Fit(data);
        Assert.IsGreaterThan(0.9, TestData.Accuracy(ml, model, data), name);
    }

    [TestMethod]
    public void UnusableSettingsAndRegressionAreRefusedNamingTheSetting()
    {
        StringAssert.Contains(Assert.Throws<ArgumentOutOfRangeException>(() => LossOptions.GeneralizedCrossEntropy(0)).Message, "q");
        StringAssert.Contains(Assert.Throws<ArgumentOutOfRangeException>(() => LossOptions.GeneralizedCrossEntropy(1.5)).Message, "q");
        StringAssert.Contains(Assert.Throws<ArgumentOutOfRangeException>(() => LossOptions.SymmetricCrossEntropy(0, 0)).Message, "alpha");
        StringAssert.Contains(Assert.Throws<ArgumentOutOfRangeException>(() => LossOptions.ActivePassive(-1, 1)).Message, "alpha");
        StringAssert.Contains(Assert.Throws<ArgumentOutOfRangeException>(() => LossOptions.Poly1(-2)).Message, "epsilon");
        StringAssert.Contains(Assert.Throws<ArgumentOutOfRangeException>(() => LossOptions.LabelSmoothing(1)).Message, "epsilon");
        StringAssert.Contains(Assert.Throws<ArgumentOutOfRangeException>(() => LossOptions.LabelSmoothing(double.NaN)).Message, "epsilon");
        var e = Assert.Throws<ArgumentException>(() => LossOptions.Poly1().Validate(TrainingTask.Regression, "Loss"));
        StringAssert.Contains(e.Message, "Loss");
    }
}
