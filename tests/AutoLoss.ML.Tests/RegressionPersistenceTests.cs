using AutoLoss.ML.Datasets;
using AutoLoss.ML.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Tests;

[TestClass]
public sealed class RegressionPersistenceTests
{
    public TestContext TestContext { get; set; } = null!;

    /// <summary>NormalizeMinMax -> AdaptiveLoss regression, on labels far from 0 (so the saved label
    /// scaling matters).</summary>
    private static (MLContext Ml, IDataView Raw, ITransformer Model) FitPipeline()
    {
        var ml = new MLContext(seed: 1);
        var raw = SyntheticData.Friedman(ml, 300, TestData.Features, seed: 7);
        var pipeline = ml.Transforms.NormalizeMinMax("Features")
            .Append(ml.Regression.Trainers.AdaptiveLoss(TestData.FastRegressionOptions()));
        return (ml, raw, pipeline.Fit(raw));
    }

    private string TempFile(string name) => Path.Combine(TestContext.TestRunDirectory ?? Path.GetTempPath(), $"{Guid.NewGuid():N}-{name}");

    [TestMethod]
    public void PipelineRoundTripsThroughOneFileWithIdenticalScores()
    {
        var (ml, raw, model) = FitPipeline();
        string path = TempFile("regression.zip");
        ml.Model.SaveWithAutoLoss(model, raw.Schema, path);

        var loaded = new MLContext().Model.LoadWithAutoLoss(path, out var schema);
        Assert.AreEqual(raw.Schema.Count, schema.Count);
        var regression = ((IEnumerable<ITransformer>)loaded).OfType<AdaptiveLossRegressionTransformer>().Single();
        Assert.AreEqual(TestData.Features, regression.FeatureCount);
        CollectionAssert.AreEqual(
            TestData.Scores(model.Transform(raw)).Select(s => s[0]).ToArray(),
            TestData.Scores(loaded.Transform(raw)).Select(s => s[0]).ToArray());
        regression.Dispose();
        ((IDisposable)((IEnumerable<ITransformer>)model).OfType<AdaptiveLossRegressionTransformer>().Single()).Dispose();
    }

    [TestMethod]
    public void LoadedPipelineScoresIdenticallyInAFreshProcess()
    {
        var (ml, raw, model) = FitPipeline();
        var bits = FreshProcessScoring.ScoreBits(ml, model, raw, TempFile);

        var expected = TestData.Scores(model.Transform(raw));
        Assert.HasCount(expected.Count, bits);
        for (int i = 0; i < bits.Count; i++)
        {
            Assert.HasCount(1, bits[i], $"row {i}");
            Assert.AreEqual(BitConverter.SingleToInt32Bits(expected[i][0]), bits[i][0], $"row {i}");
        }
        ((IDisposable)((IEnumerable<ITransformer>)model).OfType<AdaptiveLossRegressionTransformer>().Single()).Dispose();
    }

    [TestMethod]
    public void PipelineWithBothTasksRoundTrips()
    {
        // A multiclass and a regression model in one chain: each segment keeps its own kind.
        var ml = new MLContext(seed: 1);
        var data = TestData.Clusters(ml);
        var classifier = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o => o.NumberOfEpochs = 1)).Fit(data);
        var asFloat = ml.Transforms.Conversion.MapKeyToValue("Label").Fit(classifier.Transform(data));
        var mapped = asFloat.Transform(classifier.Transform(data));
        var regressor = ml.Regression.Trainers.AdaptiveLoss(TestData.FastRegressionOptions(o => o.NumberOfEpochs = 1)).Fit(ml.Transforms.DropColumns("Score", "PredictedLabel").Fit(mapped).Transform(mapped));
        var chain = new TransformerChain<ITransformer>(classifier, asFloat, ml.Transforms.DropColumns("Score", "PredictedLabel").Fit(mapped), regressor);

        using var stream = new MemoryStream();
        ml.Model.SaveWithAutoLoss(chain, data.Schema, stream);
        stream.Position = 0;
        var loaded = (IEnumerable<ITransformer>)ml.Model.LoadWithAutoLoss(stream, out _);
        Assert.AreEqual(1, loaded.OfType<AdaptiveLossMulticlassTransformer>().Count());
        Assert.AreEqual(1, loaded.OfType<AdaptiveLossRegressionTransformer>().Count());
        CollectionAssert.AreEqual(
            TestData.Scores(chain.Transform(data)).Select(s => s[0]).ToArray(),
            TestData.Scores(((ITransformer)loaded).Transform(data)).Select(s => s[0]).ToArray());
        foreach (var part in loaded.Concat(chain)) (part as IDisposable)?.Dispose();
    }

    [TestMethod]
    public void FailedSaveWritesNoFile()
    {
        var (ml, raw, model) = FitPipeline();
        // A CustomMapping without a contract name cannot be saved by ML.NET: the save must fail before
        // touching the destination.
        var unsaveable = ml.Transforms.CustomMapping<TestData.Row, TestData.RegressionPrediction>((_, o) => o.Score = 0, contractName: null).Fit(raw);
        var chain = new TransformerChain<ITransformer>(model, unsaveable);
        string path = TempFile("never.zip");
        Assert.Throws<Exception>(() => ml.Model.SaveWithAutoLoss(chain, raw.Schema, path));
        Assert.IsFalse(File.Exists(path), "nothing is written when a part cannot be saved");
        ((IDisposable)((IEnumerable<ITransformer>)model).OfType<AdaptiveLossRegressionTransformer>().Single()).Dispose();
    }
}
