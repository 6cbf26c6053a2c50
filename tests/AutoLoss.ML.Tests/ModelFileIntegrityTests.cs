using System.IO.Compression;
using AutoLoss.Core.Students;
using AutoLoss.ML.Datasets;
using Microsoft.ML;

namespace AutoLoss.ML.Tests;

/// <summary>A model file with a changed byte must be refused with a clear error, before any byte reaches
/// ML.NET's loader or TorchSharp (where a corrupt tensor could abort the process).</summary>
[TestClass]
public sealed class ModelFileIntegrityTests
{
    private const int Flips = 48;

    public TestContext TestContext { get; set; } = null!;

    private string TempFile(string name) => Path.Combine(TestContext.TestRunDirectory ?? Path.GetTempPath(), $"{Guid.NewGuid():N}-{name}");

    /// <summary>A tiny fitted pipeline with ML.NET segments before and after the AdaptiveLoss model.</summary>
    private static (MLContext Ml, IDataView Raw, ITransformer Model) FitTinyPipeline()
    {
        var ml = new MLContext(seed: 1);
        var raw = SyntheticData.GaussianClusters(ml, 90, TestData.Features, TestData.Classes, seed: 7, separation: 4f);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o =>
            {
                o.Student = new MlpSpec { HiddenSizes = [8] };
                o.NumberOfEpochs = 1;
            })))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedValue", "PredictedLabel"));
        return (ml, raw, pipeline.Fit(raw));
    }

    /// <summary>Offsets spread evenly over the file, including its first and last byte.</summary>
    private static IEnumerable<int> SpreadOffsets(int length) =>
        Enumerable.Range(0, Flips).Select(i => (int)((long)i * (length - 1) / (Flips - 1))).Distinct();

    private static void Dispose(ITransformer loaded)
    {
        foreach (var part in (IEnumerable<ITransformer>)loaded) (part as IDisposable)?.Dispose();
    }

    [TestMethod]
    public void EveryFlippedByteOfASavedModelIsRefusedAsDamaged()
    {
        var (ml, raw, model) = FitTinyPipeline();
        string path = TempFile("model.zip");
        ml.Model.SaveWithAutoLoss(model, raw.Schema, path);
        var original = File.ReadAllBytes(path);

        foreach (int offset in SpreadOffsets(original.Length))
        {
            var damaged = (byte[])original.Clone();
            damaged[offset] ^= (byte)(1 << (offset % 8));
            File.WriteAllBytes(path, damaged);
            var error = Assert.ThrowsExactly<InvalidDataException>(() => ml.Model.LoadWithAutoLoss(path, out _), $"byte {offset} of {original.Length} flipped");
            StringAssert.Contains(error.Message, path, $"byte {offset}: the message names the file");
            StringAssert.Contains(error.Message, "damaged", $"byte {offset}: the message says the file is damaged");
        }

        File.WriteAllBytes(path, original);
        var loaded = ml.Model.LoadWithAutoLoss(path, out _);
        var expected = TestData.Scores(model.Transform(raw));
        var actual = TestData.Scores(loaded.Transform(raw));
        for (int i = 0; i < expected.Count; i++) CollectionAssert.AreEqual(expected[i], actual[i], $"row {i}");
        Dispose(loaded);
    }

    [TestMethod]
    public void AVersionOneFileWithoutChecksumHasEveryEntryCrcChecked()
    {
        var (ml, raw, model) = FitTinyPipeline();
        var legacy = AsVersionOne(ml, model, raw.Schema);
        var expected = TestData.Scores(model.Transform(raw));

        var intact = ml.Model.LoadWithAutoLoss(new MemoryStream(legacy), out _);
        CollectionAssert.AreEqual(expected[0], TestData.Scores(intact.Transform(raw))[0], "an intact version 1 file still loads");
        Dispose(intact);

        int refused = 0;
        foreach (int offset in SpreadOffsets(legacy.Length))
        {
            var damaged = (byte[])legacy.Clone();
            damaged[offset] ^= (byte)(1 << (offset % 8));
            ITransformer loaded;
            try
            {
                loaded = ml.Model.LoadWithAutoLoss(new MemoryStream(damaged), out _);
            }
            catch (InvalidDataException)
            {
                refused++;
                continue;
            }
            // Without a whole-file checksum, zip metadata the reader ignores (timestamps, attributes) may
            // change unnoticed; every byte that is used is CRC-checked, so the scores cannot change.
            var actual = TestData.Scores(loaded.Transform(raw));
            for (int i = 0; i < expected.Count; i++) CollectionAssert.AreEqual(expected[i], actual[i], $"byte {offset} flipped, row {i}");
            Dispose(loaded);
        }
        Assert.IsGreaterThan(Flips / 2, refused, "most flips hit entry data or zip structure and are refused");
    }

    /// <summary>The same model in the version 1 layout: manifest header "pipeline 1", no checksum comment.</summary>
    private static byte[] AsVersionOne(MLContext ml, ITransformer model, DataViewSchema schema)
    {
        var file = new MemoryStream();
        ml.Model.SaveWithAutoLoss(model, schema, file);
        using (var zip = new ZipArchive(file, ZipArchiveMode.Update, leaveOpen: true))
        {
            var manifest = zip.GetEntry("autoloss-pipeline.txt")!;
            string text;
            using (var reader = new StreamReader(manifest.Open())) text = reader.ReadToEnd();
            Assert.StartsWith("AutoLoss.ML pipeline 2\n", text.ReplaceLineEndings("\n"));
            manifest.Delete();
            using (var writer = new StreamWriter(zip.CreateEntry("autoloss-pipeline.txt").Open()))
                writer.Write(text.Replace("AutoLoss.ML pipeline 2", "AutoLoss.ML pipeline 1"));
            zip.Comment = "";
        }
        return file.ToArray();
    }
}
