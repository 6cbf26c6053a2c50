using static TorchSharp.torch;

namespace AutoLoss.ML.Tests.LossMixing;

[TestClass]
public sealed class CandidateLossTests
{
    private static double[] Values(IPerExampleLoss loss, Tensor logits, Tensor labels) =>
        loss.Compute(logits, labels).to_type(ScalarType.Float64).data<double>().ToArray();

    [TestMethod]
    public void FocalLossWithGammaZeroIsCrossEntropyAndDownWeightsEasyExamples()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(new float[] { 3, 0, 0, -1, 2, 0 }, [2, 3]);
        var labels = tensor(new long[] { 0, 0 });
        CollectionAssert.AreEqual(Values(CrossEntropyLoss.Instance, logits, labels).Select(v => Math.Round(v, 5)).ToArray(),
            Values(new FocalLoss(0), logits, labels).Select(v => Math.Round(v, 5)).ToArray());
        var ce = Values(CrossEntropyLoss.Instance, logits, labels);
        var focal = Values(new FocalLoss(2), logits, labels);
        // The easy example (row 0) keeps a far smaller share of its cross-entropy than the hard one (row 1).
        Assert.IsTrue(focal[0] / ce[0] < 0.05 && focal[1] / ce[1] > 0.5, $"{focal[0] / ce[0]}, {focal[1] / ce[1]}");
    }

    [TestMethod]
    public void ProbabilitySquaredErrorOfTwoClassesIsTwiceTheSquaredErrorOfTheClickProbability()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(new float[] { 0, 1.5f, 0.3f, -0.7f }, [2, 2]);
        var labels = tensor(new long[] { 0, 1 });
        var values = Values(ProbabilitySquaredErrorLoss.Instance, logits, labels);
        double p0 = 1 / (1 + Math.Exp(-1.5)), p1 = 1 / (1 + Math.Exp(1.0)); // click probabilities sigmoid(z_1 - z_0)
        Assert.AreEqual(2 * p0 * p0, values[0], 1e-5);
        Assert.AreEqual(2 * (p1 - 1) * (p1 - 1), values[1], 1e-5);
    }

    [TestMethod]
    public void HingeOfTwoClassesIsTheBinaryHingeOnTheMargin()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(new float[] { 0, 0.4f, 0, -3f, 1, 0.2f }, [3, 2]);
        var labels = tensor(new long[] { 1, 1, 0 });
        var values = Values(new MarginHingeLoss(1), logits, labels);
        Assert.AreEqual(0.6, values[0], 1e-6);
        Assert.AreEqual(4.0, values[1], 1e-6);
        Assert.AreEqual(0.2, values[2], 1e-6);
    }

    [TestMethod]
    public void AMixtureIsTheWeightedSumOfItsLosses()
    {
        using var scope = NewDisposeScope();
        var logits = randn(5, 3, generator: new Generator(3));
        var labels = tensor(new long[] { 0, 1, 2, 1, 0 });
        var mixture = new MixtureLoss((CrossEntropyLoss.Instance, 0.25), (new MarginHingeLoss(), 0.75));
        var expected = Values(CrossEntropyLoss.Instance, logits, labels).Zip(Values(new MarginHingeLoss(), logits, labels), (a, b) => 0.25 * a + 0.75 * b).ToArray();
        var actual = Values(mixture, logits, labels);
        for (int i = 0; i < 5; i++) Assert.AreEqual(expected[i], actual[i], 1e-5);
    }

    [TestMethod]
    public void BadCandidateSettingsAreRefusedByName()
    {
        Assert.AreEqual("gamma", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new FocalLoss(-1)).ParamName);
        Assert.AreEqual("margin", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new MarginHingeLoss(0)).ParamName);
        Assert.ThrowsExactly<ArgumentException>(() => new MixtureLoss((CrossEntropyLoss.Instance, 0.0)));
        Assert.ThrowsExactly<ArgumentException>(() => new MixtureLoss((CrossEntropyLoss.Instance, double.NaN)));
    }
}
