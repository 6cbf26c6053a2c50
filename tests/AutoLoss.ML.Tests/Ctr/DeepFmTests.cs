using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Tests.Ctr;

[TestClass]
public sealed class DeepFmTests
{
    private sealed class Row
    {
        public bool Label { get; set; }

        [VectorType(2)]
        public float[] Features { get; set; } = [];
    }

    /// <summary>Two fields of 10 categories; the label is whether the two categories have the same parity, an
    /// interaction no first-order model can express.</summary>
    private static IDataView Parity(MLContext ml, int rows, int seed)
    {
        var random = new Random(seed);
        return ml.Data.LoadFromEnumerable(Enumerable.Range(0, rows).Select(_ =>
        {
            int a = random.Next(1, 11), b = random.Next(1, 11);
            return new Row { Label = (a + b) % 2 == 0, Features = [a, b] };
        }).ToList());
    }

    private static DeepFmSpec Spec() => new() { FieldCardinalities = [10, 10], EmbeddingSize = 4, DeepHiddenSizes = [16] };

    private static AdaptiveLossBinaryTransformer Train(MLContext ml, IDataView data) =>
        ml.BinaryClassification.Trainers.AdaptiveLoss(TestData.Fast<AdaptiveLossBinaryTrainer.Options>(30, o =>
        {
            o.Student = Spec();
            o.LearningRate = 0.1;
        })).Fit(data);

    [TestMethod]
    public void DeepFmLearnsAnInteractionBetweenTwoFields()
    {
        var ml = new MLContext(seed: 1);
        using var model = Train(ml, Parity(ml, 1000, 1));
        var metrics = ml.BinaryClassification.Evaluate(model.Transform(Parity(ml, 500, 2)));
        Assert.IsTrue(metrics.Accuracy > 0.9, $"accuracy {metrics.Accuracy:F3}");
    }

    [TestMethod]
    public void UnknownMissingAndOutOfRangeCategoriesScoreAsTheUnknownCategory()
    {
        var ml = new MLContext(seed: 1);
        using var model = Train(ml, Parity(ml, 300, 1));
        var odd = ml.Data.LoadFromEnumerable(new[] { 0f, -3f, 11f, 2.5f, float.NaN, float.PositiveInfinity }
            .Select(v => new Row { Features = [v, 3] }).ToList());
        var scores = model.Transform(odd).GetColumn<float>("Score").ToArray();
        foreach (var s in scores) Assert.AreEqual(scores[0], s, 1e-6);
        Assert.IsTrue(scores.All(float.IsFinite));
    }

    [TestMethod]
    public void ASavedDeepFmModelScoresTheSameAfterLoading()
    {
        var ml = new MLContext(seed: 1);
        var data = Parity(ml, 300, 1);
        using var model = Train(ml, data);
        TestData.AssertScoresSurviveSaveAndLoad(ml, model, data);
    }

    [TestMethod]
    public void AFeatureColumnThatDoesNotHoldOneSlotPerFieldIsRefused()
    {
        var ml = new MLContext(seed: 1);
        var options = TestData.Fast<AdaptiveLossBinaryTrainer.Options>(1, o => o.Student = new DeepFmSpec { FieldCardinalities = [10, 10, 5] });
        var e = Assert.ThrowsExactly<ArgumentException>(() => ml.BinaryClassification.Trainers.AdaptiveLoss(options).Fit(Parity(ml, 50, 1)));
        StringAssert.Contains(e.Message, "FieldCardinalities");
        Assert.ThrowsExactly<ArgumentException>(() => new DeepFmSpec().Validate("Student"));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new DeepFmSpec { FieldCardinalities = [3, 0] }.Validate("Student"));
    }
}
