using Microsoft.ML;
using TorchSharp;

namespace AutoLoss.ML.Tests.Images;

/// <summary>Your own TorchSharp module as the student: registered by name, checked before training, saved by name and
/// refused at load when its factory is missing.</summary>
[TestClass]
public sealed class TorchModuleSpecTests
{
    public TestContext TestContext { get; set; } = null!;

    private static readonly TorchModuleFactory TwoLayer = (inputs, outputs) => torch.nn.Sequential(
        ("hidden", torch.nn.Linear(inputs, 16)), ("relu", torch.nn.ReLU()), ("output", torch.nn.Linear(16, outputs)));

    [TestMethod]
    public void ARegisteredModuleTrainsSavesAndLoadsWithTheSameScores()
    {
        TorchModuleRegistry.Register("test-two-layer", TwoLayer);
        var ml = new MLContext(seed: 1);
        var data = TestData.Clusters(ml, rows: 300);
        using var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o => o.Student = new TorchModuleSpec("test-two-layer"))).Fit(data);
        Assert.IsGreaterThan(0.9, TestData.Accuracy(ml, model, data));
        Assert.AreEqual("TorchModule(test-two-layer)", model.Student.ToString());

        string path = Path.Combine(TestContext.TestRunDirectory ?? Path.GetTempPath(), $"{Guid.NewGuid():N}-module.zip");
        ml.Model.SaveWithAutoLoss(model, data.Schema, path);
        var loaded = ml.Model.LoadWithAutoLoss(path, out _);
        using (loaded as IDisposable)
        {
            var expected = TestData.Scores(model.Transform(data));
            var actual = TestData.Scores(loaded.Transform(data));
            for (int i = 0; i < expected.Count; i++) CollectionAssert.AreEqual(expected[i], actual[i]);
        }
    }

    [TestMethod]
    public void AModelWhoseModuleFactoryIsMissingIsRefusedAtLoadNamingIt()
    {
        TorchModuleRegistry.Register("test-unregistered-later", TwoLayer);
        var ml = new MLContext(seed: 1);
        var data = TestData.Clusters(ml, rows: 60);
        string path = Path.Combine(TestContext.TestRunDirectory ?? Path.GetTempPath(), $"{Guid.NewGuid():N}-missing.zip");
        using (var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o => { o.Student = new TorchModuleSpec("test-unregistered-later"); o.NumberOfEpochs = 1; })).Fit(data))
            ml.Model.SaveWithAutoLoss(model, data.Schema, path);
        Assert.IsTrue(TorchModuleRegistry.Unregister("test-unregistered-later"));
        var e = Assert.Throws<InvalidDataException>(() => ml.Model.LoadWithAutoLoss(path, out _));
        StringAssert.Contains(e.Message, "test-unregistered-later");
        StringAssert.Contains(e.Message, "TorchModuleRegistry.Register");
    }

    [TestMethod]
    public void AModuleWithTheWrongOutputWidthIsRefusedBeforeTraining()
    {
        TorchModuleRegistry.Register("test-wrong-width", (inputs, outputs) => torch.nn.Linear(inputs, outputs + 2));
        var ml = new MLContext(seed: 1);
        int epochs = 0;
        var e = Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o =>
        {
            o.Student = new TorchModuleSpec("test-wrong-width");
            o.Progress = _ => epochs++;
        })).Fit(TestData.Clusters(ml, rows: 60)));
        StringAssert.Contains(e.Message, "test-wrong-width");
        StringAssert.Contains(e.Message, $"[2, {TestData.Classes}]");
        StringAssert.Contains(e.Message, $"[2, {TestData.Classes + 2}]");
        Assert.AreEqual(0, epochs);
    }

    [TestMethod]
    public void AnUnregisteredModuleOrAModuleThatCannotTakeTheFeaturesIsRefusedNamingIt()
    {
        var ml = new MLContext(seed: 1);
        var missing = Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.AdaptiveLoss(
            TestData.FastOptions(o => o.Student = new TorchModuleSpec("test-never-registered"))).Fit(TestData.Clusters(ml, rows: 60)));
        StringAssert.Contains(missing.Message, "'test-never-registered'");

        TorchModuleRegistry.Register("test-wrong-input", (inputs, outputs) => torch.nn.Linear(inputs + 5, outputs));
        var input = Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.AdaptiveLoss(
            TestData.FastOptions(o => o.Student = new TorchModuleSpec("test-wrong-input"))).Fit(TestData.Clusters(ml, rows: 60)));
        StringAssert.Contains(input.Message, "test-wrong-input");
        StringAssert.Contains(input.Message, $"[2, {TestData.Features}]");

        var shape = Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.AdaptiveLoss(
            TestData.FastOptions(o => o.Student = new TorchModuleSpec("test-wrong-input", [3, 3]))).Fit(TestData.Clusters(ml, rows: 60)));
        StringAssert.Contains(shape.Message, "9");
        StringAssert.Contains(shape.Message, $"{TestData.Features}");
    }
}
