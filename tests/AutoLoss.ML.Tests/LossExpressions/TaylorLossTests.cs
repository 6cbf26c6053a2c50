using AutoLoss.Core.Search;
using Microsoft.ML;
using static TorchSharp.torch;

namespace AutoLoss.ML.Tests.LossExpressions;

/// <summary>The Taylor-polynomial family: its formula, its expression form, its refusals, and the CMA-ES search over it.</summary>
[TestClass]
public sealed class TaylorLossTests
{
    private static readonly double[] Theta = [0.1, -0.2, 1.5, -0.5, 0.3, 2.0, -0.7, 0.4];

    [TestMethod]
    public void TaylorLossComputesTheThirdOrderPolynomialSummedOverClasses()
    {
        double[] logits = [1, 2, 0.5];
        int label = 1;
        double max = logits.Max(), sum = logits.Sum(z => Math.Exp(z - max));
        double expected = 0;
        for (int c = 0; c < 3; c++)
        {
            double u = Math.Exp(logits[c] - max) / sum - Theta[0], v = (c == label ? 1 : 0) - Theta[1];
            expected -= Theta[2] * u + Theta[3] * u * u / 2 + Theta[4] * u * u * u / 6 + Theta[5] * u * v + Theta[6] * u * u * v / 2 + Theta[7] * u * v * v / 2;
        }
        var loss = new TaylorPolynomialLoss(Theta);
        using var outputs = tensor(logits.Select(v => (float)v).ToArray(), [1, 3]);
        using var labels = tensor(new long[] { label });
        using var value = loss.Compute(outputs, labels);
        Assert.AreEqual(expected, value.item<float>(), 1e-5);
        Assert.AreEqual(loss.Expression, LossExpression.Parse(loss.Expression.ToString()), "the polynomial is an ordinary expression");
    }

    [TestMethod]
    public void TaylorParametersThatAreNotALossAreRefused()
    {
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => LossOptions.TaylorPolynomial(1, 2, 3)).Message, "8 parameters");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => LossOptions.TaylorPolynomial(1, 2, 0, 0, 0, 0, 0, 0)).Message, "no term in the prediction");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => LossOptions.TaylorPolynomial(0, 0, double.NaN, 0, 0, 0, 0, 0)).Message, "theta[2]");
        var ml = new MLContext(seed: 1);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() =>
            ml.Regression.Trainers.AdaptiveLoss(new AdaptiveLossRegressionTrainer.Options { Loss = LossOptions.TaylorPolynomial(Theta) })).Message, "Loss");
    }

    [TestMethod]
    public async Task TaylorSearchFindsAPolynomialThatTrainsAClassifier()
    {
        using var train = TestData.Blobs(240, seed: 1);
        using var validation = TestData.Blobs(120, seed: 2);
        var evaluator = TestData.BlobsLossEvaluator<double[]>(train, validation, theta => LossOptions.TaylorPolynomial(theta));

        var searched = await TaylorLossSearch.RunAsync(evaluator, TaylorLossSearch.DefaultOptions(generations: 2, populationSize: 4),
            new SearchRunnerOptions { Seed = 3, TrialsPerRound = 4, Budget = new SearchBudget { MaxTrials = 20, MaxConcurrentTrials = 2 } });

        Assert.AreEqual("Taylor CMA-ES", searched.Method);
        Assert.HasCount(2, searched.Generations);
        Assert.AreEqual(8, searched.Cost["trained"]);
        var theta = searched.Settings["theta"].Split(", ").Select(t => double.Parse(t, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.AreEqual(new TaylorPolynomialLoss(theta).Expression.ToString(), searched.Expression, "the artefact's text is the best polynomial");

        var ml = new MLContext(seed: 1);
        var data = TestData.Clusters(ml, rows: 300);
        using var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o => { o.Loss = searched.ToLossOptions(); o.NumberOfEpochs = 10; })).Fit(data);
        Assert.IsGreaterThan(1.0 / 3, TestData.Accuracy(ml, model, data), "the searched loss, frozen, trains a new student on other data");
    }

}
