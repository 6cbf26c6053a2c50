using Microsoft.ML;
using static TorchSharp.torch;

namespace AutoLoss.ML.Tests.LossExpressions;

/// <summary>The loss-expression language: text round trips, the values it computes, its guards and its refusals.</summary>
[TestClass]
public sealed class LossExpressionTests
{
    [TestMethod]
    [DataRow("-(y * log(p))")]
    [DataRow("max(1 - p, 0) * y")]
    [DataRow("p - (y - z) / (2 * p)")]
    [DataRow("(-1.5) * y + -p")]
    [DataRow("-(1) - (-1)")]
    [DataRow("sqrt(abs(p - y)) + tanh(exp(z)) * square(min(p, y))")]
    [DataRow("1E-07 * y - log(p) * (y + 0.25)")]
    public void TextPrintsBackToTheSameTree(string text)
    {
        var parsed = LossExpression.Parse(text);
        var again = LossExpression.Parse(parsed.ToString());
        Assert.AreEqual(parsed.ToString(), again.ToString(), "printing is stable");
        Assert.IsTrue(SameTree(parsed, again), $"'{parsed}' parses back to the same tree");
    }

    [TestMethod]
    public void FunctionCallsAndInfixOperatorsBuildTheSameTree()
    {
        Assert.AreEqual(LossExpression.Parse("p + y * 2"), LossExpression.Parse("add(p, mul(y, 2))"));
        Assert.AreEqual(LossExpression.Parse("-p"), LossExpression.Parse("neg(p)"));
        Assert.AreNotEqual(LossExpression.Parse("(p - y) - z"), LossExpression.Parse("p - (y - z)"), "subtraction is left-associative");
        Assert.AreEqual(-3.0, ((ExpressionConstant)LossExpression.Parse("-3")).Value, "a minus before a number is a negative constant");
    }

    [TestMethod]
    public void CrossEntropyWrittenAsAnExpressionEqualsTheCrossEntropyLossAndItsGradient()
    {
        manual_seed(3);
        using var logits = randn(8, 5).requires_grad_(true);
        using var labels = randint(0, 5, [8]);
        var expression = new ExpressionLoss(LossExpression.Parse("-(y * log(p))"));

        using var fromExpression = expression.Compute(logits, labels);
        using var gradExpression = autograd.grad([fromExpression.sum()], [logits])[0];
        using var reference = CrossEntropyLoss.Instance.Compute(logits, labels);
        using var gradReference = autograd.grad([reference.sum()], [logits])[0];

        Assert.IsTrue(fromExpression.allclose(reference, rtol: 1e-5, atol: 1e-5), "per-example values");
        Assert.IsTrue(gradExpression.allclose(gradReference, rtol: 1e-4, atol: 1e-5), "gradients");
    }

    [TestMethod]
    public void SquaredErrorWrittenAsAnExpressionEqualsTheSquaredErrorLoss()
    {
        using var predictions = tensor(new[] { 0.5f, -1f, 2f }, [3, 1]);
        using var targets = tensor(new[] { 1f, 1f, 1f });
        using var fromExpression = new ExpressionLoss(LossExpression.Parse("square(p - y)")).Compute(predictions, targets);
        using var reference = SquaredErrorLoss.Instance.Compute(predictions, targets);
        Assert.IsTrue(fromExpression.allclose(reference));
    }

    [TestMethod]
    public void GuardedOperatorsKeepValuesAndGradientsFiniteWhereTheMathIsUndefined()
    {
        // log 0, division by 0, sqrt at 0, exp of a huge number: all guarded.
        var loss = new ExpressionLoss(LossExpression.Parse("log(p - p) * y + sqrt(y - y) * p + p / (y - y) + exp(1000 * z) * y"));
        using var logits = tensor(new[] { 1f, 2f, -3f, 0f, 0f, 0f }, [2, 3]).requires_grad_(true);
        using var labels = tensor(new long[] { 0, 2 });
        using var value = loss.Compute(logits, labels);
        using var grad = autograd.grad([value.sum()], [logits])[0];
        Assert.IsTrue(value.isfinite().all().item<bool>(), "values");
        Assert.IsTrue(grad.isfinite().all().item<bool>(), "gradients");
    }

    [TestMethod]
    [DataRow("p + * y", "position 5")]
    [DataRow("log(p", "expected ')'")]
    [DataRow("softplus(p) * y", "unknown name 'softplus'")]
    [DataRow("max(p) * y", "expected ','")]
    [DataRow("p y", "unexpected 'y'")]
    public void UnreadableTextIsRefusedNamingWhereAndWhat(string text, string expected)
    {
        var error = Assert.ThrowsExactly<FormatException>(() => LossOptions.Expression(text));
        StringAssert.Contains(error.Message, expected);
    }

    [TestMethod]
    public void AnExpressionThatIgnoresTheLabelOrThePredictionIsRefused()
    {
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => LossOptions.Expression("-log(p)")).Message, "no label");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => LossOptions.Expression("y * 2")).Message, "no prediction");
    }

    [TestMethod]
    public void AnExpressionLossTrainsAClassifierAndTheSavedModelKeepsIt()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Clusters(ml, rows: 300);
        using var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o =>
        {
            o.Loss = LossOptions.Expression("-(y * log(p)) + 0.5 * square(p - y)");
            o.NumberOfEpochs = 10;
        })).Fit(data);
        Assert.IsGreaterThan(0.9, TestData.Accuracy(ml, model, data));
        const string code = "LossOptions.Expression(\"-(y * log(p)) + 0.5 * square(p - y)\")";
        Assert.AreEqual(code, model.TrainingLoss);

        using var stream = new MemoryStream();
        ml.Model.SaveWithAutoLoss(model, data.Schema, stream);
        stream.Position = 0;
        var loaded = (IEnumerable<ITransformer>)ml.Model.LoadWithAutoLoss(stream, out _);
        using var reloaded = loaded.OfType<AdaptiveLossMulticlassTransformer>().Single();
        Assert.AreEqual(code, reloaded.TrainingLoss, "the saved model records its loss");
    }

    private static bool SameTree(LossExpression a, LossExpression b) =>
        a.GetType() == b.GetType() && a.Children.Count == b.Children.Count && a switch
        {
            ExpressionConstant c => c.Value == ((ExpressionConstant)b).Value,
            ExpressionVariable v => v.Name == ((ExpressionVariable)b).Name,
            ExpressionOperation o => o.Operator == ((ExpressionOperation)b).Operator && a.Children.Zip(b.Children).All(pair => SameTree(pair.First, pair.Second)),
            _ => false,
        };
}
