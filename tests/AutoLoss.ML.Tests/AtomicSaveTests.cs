using AutoLoss.Core.IO;
using AutoLoss.Core.Students;
using AutoLoss.Core.Teaching;
using AutoLoss.ML.Persistence;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Tests;

/// <summary>A save to a path either replaces the file completely or leaves nothing (and an existing file
/// unchanged): no partial file, no temporary file.</summary>
[TestClass]
public sealed class AtomicSaveTests
{
    public TestContext TestContext { get; set; } = null!;

    private string NewDirectory()
    {
        string directory = Path.Combine(TestContext.TestRunDirectory ?? Path.GetTempPath(), $"{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        return directory;
    }

    private static string[] Contents(string directory) => Directory.GetFileSystemEntries(directory).Select(Path.GetFileName).ToArray()!;

    /// <summary>An AdaptiveLoss model after a CustomMapping without contract name, which ML.NET cannot save.</summary>
    private static (MLContext Ml, IDataView Data, ITransformer Model) FitUnsaveablePipeline()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Clusters(ml, 90);
        var model = ml.Transforms.CustomMapping<FeaturesRow, ExtraColumn>((input, output) => output.Extra = input.Features[0], contractName: null)
            .Append(ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o =>
            {
                o.Student = new MlpSpec { HiddenSizes = [8] };
                o.NumberOfEpochs = 1;
            })))
            .Fit(data);
        return (ml, data, model);
    }

    [TestMethod]
    public void AFailedSaveWithAutoLossLeavesNoFileAndKeepsAnExistingOne()
    {
        var (ml, data, model) = FitUnsaveablePipeline();
        string directory = NewDirectory();
        string path = Path.Combine(directory, "model.zip");

        Assert.ThrowsExactly<InvalidOperationException>(() => ml.Model.SaveWithAutoLoss(model, data.Schema, path));
        Assert.IsEmpty(Contents(directory), "no file and no temporary file");

        File.WriteAllText(path, "the previous model");
        Assert.ThrowsExactly<InvalidOperationException>(() => ml.Model.SaveWithAutoLoss(model, data.Schema, path));
        CollectionAssert.AreEqual(new[] { "model.zip" }, Contents(directory));
        Assert.AreEqual("the previous model", File.ReadAllText(path));
        ((IDisposable)((IEnumerable<ITransformer>)model).Last()).Dispose();
    }

    [TestMethod]
    public void AWriteThatFailsMidwayLeavesNoPartialOrTemporaryFile()
    {
        string directory = NewDirectory();
        string path = Path.Combine(directory, "model.zip");
        static void FailMidway(Stream s)
        {
            s.Write(new byte[4096]);
            throw new IOException("disk full");
        }

        Assert.ThrowsExactly<IOException>(() => AtomicFile.Write(path, FailMidway));
        Assert.ThrowsExactly<IOException>(() => ArtefactStreams.SaveToFile(path, FailMidway));
        Assert.IsEmpty(Contents(directory));

        File.WriteAllText(path, "old");
        Assert.ThrowsExactly<IOException>(() => AtomicFile.Write(path, FailMidway));
        Assert.ThrowsExactly<IOException>(() => ArtefactStreams.SaveToFile(path, FailMidway));
        CollectionAssert.AreEqual(new[] { "model.zip" }, Contents(directory));
        Assert.AreEqual("old", File.ReadAllText(path));

        AtomicFile.Write(path, s => s.Write("new"u8));
        Assert.AreEqual("new", File.ReadAllText(path));
        ArtefactStreams.SaveToFile(path, s => s.Write("newer"u8));
        Assert.AreEqual("newer", File.ReadAllText(path));
        CollectionAssert.AreEqual(new[] { "model.zip" }, Contents(directory));
    }

    [TestMethod]
    public void SavingOverADirectoryFailsWithoutLeavingATemporaryFile()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Clusters(ml, 90);
        using var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o =>
        {
            o.Student = new MlpSpec { HiddenSizes = [8] };
            o.NumberOfEpochs = 1;
        })).Fit(data);
        string directory = NewDirectory();
        string path = Path.Combine(directory, "model.zip");
        Directory.CreateDirectory(path);

        Assert.Throws<IOException>(() => ml.Model.SaveWithAutoLoss(model, data.Schema, path));
        CollectionAssert.AreEqual(new[] { "model.zip" }, Contents(directory));
        Assert.IsTrue(Directory.Exists(path));
    }

    /// <summary>ML.NET's Model.Save(model, schema, path) calls File.Create(path) before it asks any transformer to
    /// save itself, so the file cannot be prevented from an AutoLoss.ML transformer: the error says so, and the
    /// incomplete file does not load as a shorter pipeline.</summary>
    [TestMethod]
    public void MlNetsOwnSaveToAPathSaysItsFileIsIncompleteAndThatFileDoesNotLoad()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Clusters(ml, 90);
        var model = ml.Transforms.NormalizeMinMax("Features")
            .Append(ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o =>
            {
                o.Student = new MlpSpec { HiddenSizes = [8] };
                o.NumberOfEpochs = 1;
            })))
            .Fit(data);
        string directory = NewDirectory();
        string path = Path.Combine(directory, "mlnet.zip");

        var error = Assert.ThrowsExactly<NotSupportedException>(() => ml.Model.Save(model, data.Schema, path));
        StringAssert.Contains(error.Message, "SaveWithAutoLoss");
        StringAssert.Contains(error.Message, "incomplete model: delete it");
        if (File.Exists(path))
            Assert.Throws<Exception>(() => ml.Model.Load(path, out _), "the incomplete file must not load");
        model.LastTransformer.Dispose();
    }

    public sealed class FeaturesRow
    {
        [VectorType(TestData.Features)]
        public float[] Features { get; set; } = [];
    }

    public sealed class ExtraColumn
    {
        public float Extra { get; set; }
    }
}
