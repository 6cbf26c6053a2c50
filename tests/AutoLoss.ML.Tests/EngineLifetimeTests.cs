using AutoLoss.Core.Students;
using AutoLoss.ML.Datasets;
using AutoLoss.ML.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Tests;

/// <summary>ML.NET's PredictionEngine.Dispose disposes the transformer it was created from (ownsTransformer
/// defaults to true); the model must still outlive its engines.</summary>
[TestClass]
public sealed class EngineLifetimeTests
{
    private static (MLContext Ml, IDataView Raw, TransformerChain<AdaptiveLossMulticlassTransformer> Model) FitTinyPipeline()
    {
        var ml = new MLContext(seed: 1);
        var raw = SyntheticData.GaussianClusters(ml, 120, TestData.Features, TestData.Classes, seed: 7, separation: 4f);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o =>
            {
                o.Student = new MlpSpec { HiddenSizes = [8] };
                o.NumberOfEpochs = 1;
            })));
        return (ml, raw, pipeline.Fit(raw));
    }

    private static float[] PredictFirstRow(MLContext ml, ITransformer model, TestData.Row row)
    {
        using var engine = ml.Model.CreatePredictionEngine<TestData.Row, TestData.Prediction>(model);
        return engine.Predict(row).Score;
    }

    [TestMethod]
    public void DisposingAPredictionEngineLeavesThePipelineUsable()
    {
        var (ml, raw, model) = FitTinyPipeline();
        var expected = TestData.Scores(model.Transform(raw));
        var row = ml.Data.CreateEnumerable<TestData.Row>(raw, reuseRowObject: false).First();

        float[] first = PredictFirstRow(ml, model, row);

        var after = TestData.Scores(model.Transform(raw));
        for (int i = 0; i < expected.Count; i++) CollectionAssert.AreEqual(expected[i], after[i], $"row {i}");
        CollectionAssert.AreEqual(first, PredictFirstRow(ml, model, row), "a new engine scores as the disposed one did");
        model.LastTransformer.Dispose();
    }

    [TestMethod]
    public void DisposingAnEngineOverTheBareModelLeavesTheModelUsable()
    {
        var (ml, raw, chain) = FitTinyPipeline();
        var keyed = ((IEnumerable<ITransformer>)chain).First().Transform(raw);
        var model = chain.LastTransformer;
        var expected = TestData.Scores(model.Transform(keyed));
        var row = ml.Data.CreateEnumerable<TestData.Row>(raw, reuseRowObject: false).First();

        float[] first = PredictFirstRow(ml, model, row);
        float[] second = PredictFirstRow(ml, model, row);

        CollectionAssert.AreEqual(first, second);
        var after = TestData.Scores(model.Transform(keyed));
        for (int i = 0; i < expected.Count; i++) CollectionAssert.AreEqual(expected[i], after[i], $"row {i}");
        model.Dispose();
    }

    [TestMethod]
    public void TheModelsOwnDisposeFreesItOnceItsEnginesAreDisposed()
    {
        var (ml, raw, chain) = FitTinyPipeline();
        var keyed = ((IEnumerable<ITransformer>)chain).First().Transform(raw);
        var model = chain.LastTransformer;
        var row = ml.Data.CreateEnumerable<TestData.Row>(raw, reuseRowObject: false).First();
        PredictFirstRow(ml, model, row);

        model.Dispose();

        Assert.ThrowsExactly<ObjectDisposedException>(() => TestData.Scores(model.Transform(keyed)));
    }
}
