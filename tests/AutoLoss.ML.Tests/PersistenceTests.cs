using AutoLoss.ML.Datasets;
using AutoLoss.ML.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Tests;

[TestClass]
public sealed class PersistenceTests
{
    public TestContext TestContext { get; set; } = null!;

    private static (MLContext Ml, IDataView Raw, ITransformer Model) FitPipelineWithTransformsAround()
    {
        var ml = new MLContext(seed: 1);
        var raw = SyntheticData.GaussianClusters(ml, 300, TestData.Features, TestData.Classes, seed: 7, separation: 4f);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions()))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedValue", "PredictedLabel"));
        return (ml, raw, pipeline.Fit(raw));
    }

    private string TempFile(string name) => Path.Combine(TestContext.TestRunDirectory ?? Path.GetTempPath(), $"{Guid.NewGuid():N}-{name}");

    [TestMethod]
    public void PipelineRoundTripsThroughOneFileWithIdenticalScores()
    {
        var (ml, raw, model) = FitPipelineWithTransformsAround();
        string path = TempFile("model.zip");
        ml.Model.SaveWithAutoLoss(model, raw.Schema, path);

        var loaded = new MLContext().Model.LoadWithAutoLoss(path, out var schema);
        Assert.AreEqual(raw.Schema.Count, schema.Count);
        var expected = TestData.Scores(model.Transform(raw));
        var actual = TestData.Scores(loaded.Transform(raw));
        for (int i = 0; i < expected.Count; i++) CollectionAssert.AreEqual(expected[i], actual[i]);
        CollectionAssert.AreEqual(model.Transform(raw).GetColumn<float>("PredictedValue").ToArray(), loaded.Transform(raw).GetColumn<float>("PredictedValue").ToArray());
        ((IDisposable)((IEnumerable<ITransformer>)loaded).OfType<AdaptiveLossMulticlassTransformer>().Single()).Dispose();
    }

    [TestMethod]
    public void LoadedPipelineScoresIdenticallyInAFreshProcess()
    {
        var (ml, raw, model) = FitPipelineWithTransformsAround();
        var bits = FreshProcessScoring.ScoreBits(ml, model, raw, TempFile);

        var expected = TestData.Scores(model.Transform(raw));
        Assert.HasCount(expected.Count, bits);
        for (int i = 0; i < bits.Count; i++)
            CollectionAssert.AreEqual(expected[i].Select(v => BitConverter.SingleToInt32Bits(v)).ToArray(),
                bits[i], $"row {i}");
    }

    [TestMethod]
    public void TransformerSavedAloneLoadsBack()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Clusters(ml);
        using var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions()).Fit(data);
        using var stream = new MemoryStream();
        ml.Model.SaveWithAutoLoss(model, data.Schema, stream);
        stream.Position = 0;
        var loaded = ml.Model.LoadWithAutoLoss(stream, out _);
        CollectionAssert.AreEqual(TestData.Scores(model.Transform(data))[5], TestData.Scores(loaded.Transform(data))[5]);
    }

    [TestMethod]
    public void MlNetsOwnSaveExplainsTheAutoLossSaveApi()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Clusters(ml);
        using var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o => o.NumberOfEpochs = 1)).Fit(data);
        var error = Assert.ThrowsExactly<NotSupportedException>(() => ((ICanSaveModel)model).Save(null!));
        StringAssert.Contains(error.Message, "SaveWithAutoLoss");
    }

    [TestMethod]
    public void LoadingAForeignFileFailsClearly()
    {
        string path = TempFile("not-a-model.bin");
        File.WriteAllText(path, "hello, this is not a model");
        var error = Assert.ThrowsExactly<InvalidDataException>(() => new MLContext().Model.LoadWithAutoLoss(path, out _));
        StringAssert.Contains(error.Message, "Not an AutoLoss.ML model file");
    }

    [TestMethod]
    public void LoadingAnMlNetOnlyModelFailsClearly()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Clusters(ml);
        var mlnetModel = ml.Transforms.NormalizeMinMax("Features").Fit(data);
        string path = TempFile("mlnet.zip");
        ml.Model.Save(mlnetModel, data.Schema, path);
        var error = Assert.ThrowsExactly<InvalidDataException>(() => ml.Model.LoadWithAutoLoss(path, out _));
        StringAssert.Contains(error.Message, "mlContext.Model.Load");
    }

    [TestMethod]
    public void LoadingACorruptedModelFailsClearly()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Clusters(ml);
        using var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o => o.NumberOfEpochs = 1)).Fit(data);
        using var stream = new MemoryStream();
        ml.Model.SaveWithAutoLoss(model, data.Schema, stream);
        var bytes = stream.ToArray();
        // Truncate the archive: the zip directory at the end is gone.
        Assert.ThrowsExactly<InvalidDataException>(() => ml.Model.LoadWithAutoLoss(new MemoryStream(bytes[..(bytes.Length / 2)]), out _));
        // Flip bytes in the middle of the archive: an entry's checksum or content breaks.
        for (int i = bytes.Length / 3; i < bytes.Length / 3 + 64; i++) bytes[i] ^= 0x5A;
        Assert.ThrowsExactly<InvalidDataException>(() => ml.Model.LoadWithAutoLoss(new MemoryStream(bytes), out _));
    }
}
