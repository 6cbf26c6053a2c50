using AutoLoss.ML.Tests.Images;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AutoLoss.ML.Tests.Export;

/// <summary>The ONNX export, scored by ONNX Runtime against the fitted transformer on the same rows.</summary>
[TestClass]
public sealed class OnnxExportTests
{
    public TestContext TestContext { get; set; } = null!;

    /// <summary>Runs the exported model on <paramref name="data"/>'s features; returns each output by name, flattened.</summary>
    private static Dictionary<string, Array> RunOnnx(MLContext ml, AdaptiveLossTransformerBase model, IDataView data)
    {
        using var buffer = new MemoryStream();
        ml.Model.ExportToOnnx(model, buffer);
        var rows = data.GetColumn<float[]>(model.FeatureColumnName).ToList();
        var features = rows.SelectMany(r => r).ToArray();
        using var session = new InferenceSession(buffer.ToArray());
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(model.FeatureColumnName, new DenseTensor<float>(features, [rows.Count, model.FeatureCount]))]);
        return results.ToDictionary(r => r.Name, r => r.Value switch
        {
            Tensor<float> f => (Array)f.ToArray(),
            Tensor<long> l => l.ToArray(),
            Tensor<bool> b => b.ToArray(),
            Tensor<string> t => t.ToArray(),
            _ => throw new InvalidOperationException($"Unexpected output type of {r.Name}."),
        });
    }

    private static void AssertClose(float[] expected, float[] actual, float tolerance, string what)
    {
        Assert.HasCount(expected.Length, actual, what);
        for (int i = 0; i < expected.Length; i++)
            Assert.AreEqual(expected[i], actual[i], tolerance + tolerance * Math.Abs(expected[i]), $"{what}[{i}]");
    }

    private static void AssertMulticlassMatches(MLContext ml, AdaptiveLossMulticlassTransformer model, IDataView data)
    {
        var onnx = RunOnnx(ml, model, data);
        var scored = model.Transform(data);
        AssertClose(TestData.Scores(scored).SelectMany(s => s).ToArray(), (float[])onnx["Score"], 1e-5f, "Score");
        CollectionAssert.AreEqual(scored.GetColumn<uint>("PredictedLabel").Select(k => (long)k).ToArray(), (long[])onnx["PredictedLabel"]);
        var values = ml.Transforms.Conversion.MapKeyToValue("Value", "PredictedLabel").Fit(scored).Transform(scored);
        var expectedValues = values.Schema["Value"].Type.RawType == typeof(float)
            ? values.GetColumn<float>("Value").Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray()
            : values.GetColumn<uint>("Value").Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        CollectionAssert.AreEqual(expectedValues, (string[])onnx["PredictedLabelValue"], "the label's own values");
    }

    [TestMethod]
    public void AnExportedMlpClassifierScoresLikeTheTransformerInOnnxRuntime()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Clusters(ml, rows: 200);
        using var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o => o.Student = new MlpSpec { HiddenSizes = [16, 8], Activation = Activation.Gelu })).Fit(data);
        AssertMulticlassMatches(ml, model, data);
    }

    [TestMethod]
    public void AnExportedConvNetWithResidualBatchNormBlocksScoresLikeTheTransformerInOnnxRuntime()
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = ImageData.Digits(ml, trainRows: 200, testRows: 50);
        var spec = ConvNetDeterminismTests.EveryBlockKind();
        using var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o => { o.Student = spec; o.NumberOfEpochs = 2; })).Fit(train);
        AssertMulticlassMatches(ml, model, test);

        using var lenet = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o => { o.Student = ImageData.SmallLeNet(); o.NumberOfEpochs = 1; })).Fit(train);
        AssertMulticlassMatches(ml, lenet, test);
    }

    [TestMethod]
    public void AnExportedBinaryModelGivesTheMarginProbabilityAndPredictedLabel()
    {
        var ml = new MLContext(seed: 1);
        var data = BinaryTasks.ImbalancedGaussian(ml, 300, TestData.Features, 0.2, 5, separation: 3);
        using var model = ml.BinaryClassification.Trainers.AdaptiveLoss(TestData.Fast<AdaptiveLossBinaryTrainer.Options>()).Fit(data);
        var onnx = RunOnnx(ml, model, data);
        var scored = model.Transform(data);
        AssertClose(scored.GetColumn<float>("Score").ToArray(), (float[])onnx["Score"], 1e-4f, "Score");
        AssertClose(scored.GetColumn<float>("Probability").ToArray(), (float[])onnx["Probability"], 1e-5f, "Probability");
        CollectionAssert.AreEqual(scored.GetColumn<bool>("PredictedLabel").ToArray(), (bool[])onnx["PredictedLabel"]);
    }

    [TestMethod]
    public void AnExportedRegressionModelFoldsInTheLabelScaling()
    {
        var ml = new MLContext(seed: 1);
        var data = SyntheticData.Friedman(ml, rows: 300, features: 8, seed: 1);
        using var model = ml.Regression.Trainers.AdaptiveLoss(TestData.Fast<AdaptiveLossRegressionTrainer.Options>()).Fit(data);
        var onnx = RunOnnx(ml, model, data);
        AssertClose(model.Transform(data).GetColumn<float>("Score").ToArray(), (float[])onnx["Score"], 1e-5f, "Score");
    }

    [TestMethod]
    public void AUserModuleCannotBeExportedAndTheErrorNamesItWithoutWritingAFile()
    {
        TorchModuleRegistry.Register("test-onnx-module", (inputs, outputs) => TorchSharp.torch.nn.Linear(inputs, outputs));
        var ml = new MLContext(seed: 1);
        using var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o => { o.Student = new TorchModuleSpec("test-onnx-module"); o.NumberOfEpochs = 1; }))
            .Fit(TestData.Clusters(ml, rows: 60));
        string path = Path.Combine(TestContext.TestRunDirectory ?? Path.GetTempPath(), $"{Guid.NewGuid():N}.onnx");
        var e = Assert.Throws<NotSupportedException>(() => ml.Model.ExportToOnnx(model, path));
        StringAssert.Contains(e.Message, "test-onnx-module");
        Assert.IsFalse(File.Exists(path));
    }

    [TestMethod]
    public void MlNetsApplyOnnxModelScoresTheExportedFileLikeTheTransformer()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Clusters(ml, rows: 120);
        using var mlp = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions()).Fit(data);
        AssertApplyOnnxModelMatches(ml, mlp, data);

        var (train, test) = ImageData.Digits(ml, trainRows: 200, testRows: 50);
        using var cnn = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o => { o.Student = ConvNetDeterminismTests.EveryBlockKind(); o.NumberOfEpochs = 1; })).Fit(train);
        AssertApplyOnnxModelMatches(ml, cnn, test);
    }

    private void AssertApplyOnnxModelMatches(MLContext ml, AdaptiveLossMulticlassTransformer model, IDataView data)
    {
        string path = Path.Combine(TestContext.TestRunDirectory ?? Path.GetTempPath(), $"{Guid.NewGuid():N}.onnx");
        ml.Model.ExportToOnnx(model, path);
        using var applied = ml.Transforms.ApplyOnnxModel(["Score", "PredictedLabel"], ["Features"], path).Fit(data);
        var fromOnnx = applied.Transform(data).GetColumn<float[]>("Score").ToList();
        var expected = TestData.Scores(model.Transform(data));
        for (int i = 0; i < expected.Count; i++)
            AssertClose(expected[i], fromOnnx[i], 1e-5f, $"{model.Student}, row {i}");
        CollectionAssert.AreEqual(model.Transform(data).GetColumn<uint>("PredictedLabel").Select(k => (long)k).ToArray(),
            applied.Transform(data).GetColumn<long[]>("PredictedLabel").Select(v => v[0]).ToArray(), "ApplyOnnxModel reads a [N] output as one-value vectors");
    }

    [TestMethod]
    public void AnExportedConvNetScoresBinaryAndRegressionTasksLikeTheTransformer()
    {
        var ml = new MLContext(seed: 1);
        var (nines, _) = BinaryTasks.DigitVersusRest(ml, positiveDigit: 9);
        var binaryRows = ml.Data.TakeRows(nines, 200);
        using var binary = ml.BinaryClassification.Trainers.AdaptiveLoss(TestData.Fast<AdaptiveLossBinaryTrainer.Options>(1, o => o.Student = ImageData.SmallLeNet())).Fit(binaryRows);
        var onnx = RunOnnx(ml, binary, binaryRows);
        AssertClose(binary.Transform(binaryRows).GetColumn<float>("Probability").ToArray(), (float[])onnx["Probability"], 1e-5f, "Probability");
        CollectionAssert.AreEqual(binary.Transform(binaryRows).GetColumn<bool>("PredictedLabel").ToArray(), (bool[])onnx["PredictedLabel"]);

        var (digits, _) = Digits.LoadSplit(ml);   // Label: the digit as a float, regressed from the image
        var regressionRows = ml.Data.TakeRows(digits, 200);
        using var regression = ml.Regression.Trainers.AdaptiveLoss(TestData.Fast<AdaptiveLossRegressionTrainer.Options>(1, o => o.Student = ConvNetDeterminismTests.EveryBlockKind())).Fit(regressionRows);
        AssertClose(regression.Transform(regressionRows).GetColumn<float>("Score").ToArray(), (float[])RunOnnx(ml, regression, regressionRows)["Score"], 1e-5f, "Score");
    }

    [TestMethod]
    public void AnExportedEmbeddingModelGivesTheTransformersUnitNormEmbeddingsInOnnxRuntime()
    {
        var ml = new MLContext(1);
        var (x, y, _, _) = MetricLearning.EmbeddingTaskTests.Clusters();
        var rows = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 200).Select(i => new EmbeddingRow { Features = x[(i * 16)..((i + 1) * 16)], Label = (uint)(y[i] + 1) }).ToList());
        var data = ml.Transforms.Conversion.MapValueToKey("Label").Fit(rows).Transform(rows);
        using var model = ml.MetricLearning().Trainers.AdaptiveLoss(new AdaptiveLossEmbeddingTrainer.Options
        {
            EmbeddingSize = 8, Student = new MlpSpec { HiddenSizes = [16] }, NumberOfEpochs = 2, BatchSize = 32, Seed = 1,
        }).Fit(data);
        var onnx = RunOnnx(ml, model, data);
        var expected = model.Transform(data).GetColumn<float[]>("Embedding").SelectMany(e => e).ToArray();
        AssertClose(expected, (float[])onnx["Embedding"], 1e-5f, "Embedding");
    }

    private sealed class EmbeddingRow
    {
        [VectorType(16)] public float[] Features { get; set; } = [];
        public uint Label { get; set; }
    }
}
