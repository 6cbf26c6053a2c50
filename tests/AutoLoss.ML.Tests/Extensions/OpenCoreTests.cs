using AutoLoss.Core.Data;
using AutoLoss.Core.Optimization;
using AutoLoss.Core.Training;
using Microsoft.ML;
using static TorchSharp.torch;

namespace AutoLoss.ML.Tests.Extensions;

/// <summary>The open sets' contracts: the student registry, input shapes, the general unroll, metrics by name, and the
/// public surface's defaults and overloads.</summary>
[TestClass]
public sealed class OpenCoreTests
{
    [TestMethod]
    public void AModelWhoseStudentHasNoRegisteredReaderIsRefusedNamingItsTag()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
            new ShapedSpec([4]).Write(writer);
        stream.Position = 0;
        using var reader = new BinaryReader(stream);
        var error = Assert.Throws<InvalidDataException>(() => StudentSpec.Read(reader));
        StringAssert.Contains(error.Message, "test-never-registered");
        StringAssert.Contains(error.Message, "StudentSpecRegistry.Register");
    }

    [TestMethod]
    public void ATakenStudentTagCannotBeRegisteredToAnotherReader()
    {
        SkipLinearSpec.Register();
        SkipLinearSpec.Register();   // the same reader again is harmless
        var error = Assert.Throws<ArgumentException>(() => StudentSpecRegistry.Register(SkipLinearSpec.Tag, _ => new MlpSpec()));
        StringAssert.Contains(error.Message, SkipLinearSpec.Tag);
        Assert.Throws<ArgumentException>(() => StudentSpecRegistry.Register("mlp", _ => new MlpSpec()));
    }

    [TestMethod]
    public void AStudentWhoseInputShapeDoesNotMatchTheFeaturesIsRefusedWithBothNumbers()
    {
        var ml = new MLContext(seed: 1);
        var trainer = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o => o.Student = new ShapedSpec([1, 2, 2])));
        var error = Assert.Throws<ArgumentException>(() => trainer.Fit(TestData.Clusters(ml, rows: 60)));
        StringAssert.Contains(error.Message, "Student");
        StringAssert.Contains(error.Message, "(4 values)");
        StringAssert.Contains(error.Message, $"has {TestData.Features}");
    }

    [TestMethod]
    public void TheGeneralUnrollsHypergradientThroughAStudentDefinedOutsideTheLibraryMatchesFiniteDifferences()
    {
        HypergradientCheck.AssertMatchesFiniteDifferences(new SkipLinearSpec { Hidden = 5 }, inputSize: 4);
    }

    [TestMethod]
    public void EpochSummariesCarryTheTasksOwnMetricsByName()
    {
        var ml = new MLContext(seed: 1);
        using var regression = ml.Regression.Trainers.AdaptiveLoss(TestData.FastRegressionOptions(o => o.ValidationFraction = 0.2)).Fit(TestData.Linear(ml, rows: 200));
        var last = regression.TrainingHistory[^1];
        CollectionAssert.AreEquivalent(new[] { MetricNames.MeanSquaredError }, last.Validation.Keys.ToArray());
        Assert.AreEqual(last.Validation[MetricNames.MeanSquaredError], last.ValidationLoss);
        Assert.IsNull(last.ValidationAccuracy);

        using var multiclass = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o => o.ValidationFraction = 0.2)).Fit(TestData.Clusters(ml, rows: 200));
        var summary = multiclass.TrainingHistory[^1];
        CollectionAssert.AreEquivalent(new[] { MetricNames.Accuracy, MetricNames.LogLoss }, summary.Validation.Keys.ToArray());
        Assert.AreEqual(summary.ValidationLogLoss, summary.ValidationLoss);
        StringAssert.Contains(summary.ToString(), "validation accuracy");
    }

    [TestMethod]
    public void EveryTasksSimpleOverloadTakesTheWeightColumnAndTheSharedDefaults()
    {
        var ml = new MLContext(seed: 1);
        AdaptiveLossTrainerOptionsBase[] options =
        [
            ml.MulticlassClassification.Trainers.AdaptiveLoss(exampleWeightColumnName: "Weight").TrainerOptions,
            ml.BinaryClassification.Trainers.AdaptiveLoss(exampleWeightColumnName: "Weight").TrainerOptions,
            ml.Regression.Trainers.AdaptiveLoss(exampleWeightColumnName: "Weight").TrainerOptions,
        ];
        var settings = new TrainingSettings();
        foreach (var o in options)
        {
            Assert.AreEqual("Weight", o.ExampleWeightColumnName);
            Assert.AreEqual(TrainingSettings.Defaults.NumberOfEpochs, o.NumberOfEpochs);
            Assert.AreEqual(TrainingSettings.Defaults.BatchSize, o.BatchSize);
            Assert.AreEqual(TrainingSettings.Defaults.LearningRate, o.LearningRate);
            Assert.AreEqual(TrainingSettings.Defaults.Momentum, o.Momentum);
            Assert.AreEqual(settings.LearningRateDecayFactor, o.LearningRateDecayFactor);
            Assert.AreEqual(settings.Optimizer, o.Optimizer);
        }
    }

    [TestMethod]
    public void APerExampleLossThatDoesNotReturnOneValuePerRowIsRefused()
    {
        var ml = new MLContext(seed: 1);
        var wrong = LossOptions.PerExample(() => new WrongShapeLoss());
        var error = Assert.Throws<InvalidOperationException>(() =>
            ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o => o.Loss = wrong)).Fit(TestData.Clusters(ml, rows: 60)));
        StringAssert.Contains(error.Message, "one value per row");
    }

    [TestMethod]
    public void CoreDataWithClassIndicesOutsideTheTaskIsRefusedBeforeTraining()
    {
        using var data = new InMemoryDataset([0f, 1f, 2f, 3f, 4f, 5f], [0L, 1L, 5L], null, 2, CPU);
        var error = Assert.Throws<ArgumentException>(() => StudentTrainer.Train(
            new TrainingProblem { Student = new MlpSpec { HiddenSizes = [] }, Task = TrainingTask.Multiclass(3), Train = data },
            new TrainingSettings { NumberOfEpochs = 1, Device = ComputeDevice.Cpu }));
        StringAssert.Contains(error.Message, "from 0 to 5");
    }

    private sealed class WrongShapeLoss : IPerExampleLoss
    {
        public string Name => "wrong shape";

        public void Validate(TrainingTask task, string optionName) { }

        public Tensor Compute(Tensor outputs, Tensor labels) => CrossEntropyLoss.Instance.Compute(outputs, labels).unsqueeze(1);
    }

    [TestMethod]
    public void TheLossOfATaskWithoutClassesIsRefusedNamingTheTasksDefault()
    {
        foreach (var loss in new LossOptions[] { LossOptions.CrossEntropy(), new AlaLossOptions(), new L2tDlfLossOptions(), LossOptions.Parametric(new float[2, 2]) })
        {
            var error = Assert.Throws<ArgumentException>(() => loss.Validate(TrainingTask.Regression, "Loss"));
            StringAssert.Contains(error.Message, "LossOptions.SquaredError()");
        }
        var refused = Assert.Throws<ArgumentException>(() => LossOptions.SquaredError().Validate(TrainingTask.Binary, "Loss"));
        StringAssert.Contains(refused.Message, "LossOptions.CrossEntropy()");
    }
}
