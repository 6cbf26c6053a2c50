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

    private sealed class TextRow
    {
        public bool Label { get; set; }
        public string A { get; set; } = "";
        public string B { get; set; } = "";
    }

    private sealed class Lookup
    {
        public string Key { get; set; } = "";
        public float Value { get; set; }
    }

    /// <summary>Text fields become category indices inside the pipeline with ML.NET's MapValue and a lookup built from
    /// the training rows (values it lacks map to NaN: the unknown category), so the whole pipeline saves and loads.</summary>
    [TestMethod]
    public void TextFieldsMappedToIndicesInThePipelineTrainDeepFmAndTheWholePipelineSavesAndLoads()
    {
        var ml = new MLContext(seed: 1);
        var random = new Random(1);
        var rows = Enumerable.Range(0, 800).Select(_ =>
        {
            int a = random.Next(1, 11), b = random.Next(1, 11);
            return new TextRow { Label = (a + b) % 2 == 0, A = "a" + a, B = "b" + b };
        }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        IEstimator<ITransformer> pipeline = new EstimatorChain<ITransformer>();
        foreach (var field in new[] { "A", "B" })
        {
            var lookup = ml.Data.LoadFromEnumerable(rows.Select(r => field == "A" ? r.A : r.B).Distinct().OrderBy(v => v)
                .Select((value, i) => new Lookup { Key = value, Value = i + 1 }).ToList());
            pipeline = pipeline.Append(ml.Transforms.Conversion.MapValue(field + "Index", lookup, lookup.Schema["Key"], lookup.Schema["Value"], field));
        }
        var model = pipeline.Append(ml.Transforms.Concatenate("Features", "AIndex", "BIndex"))
            .Append(ml.BinaryClassification.Trainers.AdaptiveLoss(TestData.Fast<AdaptiveLossBinaryTrainer.Options>(30, o =>
            {
                o.Student = Spec();
                o.LearningRate = 0.1;
            }))).Fit(data);
        try
        {
            Assert.IsTrue(ml.BinaryClassification.Evaluate(model.Transform(data)).Accuracy > 0.9);
            TestData.AssertScoresSurviveSaveAndLoad(ml, model, data);
            var unseen = ml.Data.LoadFromEnumerable(new[] { new TextRow { A = "a99", B = "b3" } });
            Assert.IsTrue(float.IsFinite(model.Transform(unseen).GetColumn<float>("Score").Single()));
        }
        finally
        {
            (model as IDisposable)?.Dispose();
        }
    }
}
