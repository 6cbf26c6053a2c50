using AutoLoss.ML.Trainers;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace AutoLoss.ML.Tests.LossMixing;

[TestClass]
public sealed class LossMixingTests
{
    /// <summary>A loss that fights the label: minimising p_y pushes the labelled class down.</summary>
    private sealed class LabelAversion : IPerExampleLoss
    {
        public string Name => "label aversion";

        public void Validate(TrainingTask task, string optionName) { }

        public Tensor Compute(Tensor outputs, Tensor labels) =>
            nn.functional.softmax(outputs, 1).gather(1, labels.unsqueeze(1)).squeeze(1).mul(3);
    }

    private static LossMixingOptions Fast(Action<LossMixingOptions>? configure = null)
    {
        var options = new LossMixingOptions { DevBatchSize = 64, ControllerHiddenSize = 8, ControllerLearningRate = 0.01 };
        configure?.Invoke(options);
        return options;
    }

    private static AdaptiveLossMulticlassTransformer Train(MLContext ml, IDataView data, LossOptions loss, double validationFraction = 0.2, int epochs = 5) =>
        ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.Fast<AdaptiveLossMulticlassTrainer.Options>(epochs, o =>
        {
            o.Loss = loss;
            o.ValidationFraction = validationFraction;
        })).Fit(data);

    [TestMethod]
    public void TheControllerLearnsToDropACandidateThatFightsTheLabel()
    {
        foreach (var update in new[] { LossMixingUpdate.FirstOrder, LossMixingUpdate.OneStepLookAhead })
        {
            var ml = new MLContext(seed: 1);
            var data = TestData.Clusters(ml, separation: 2f);
            var reports = new List<LossMixingEpochReport>();
            var loss = Fast(o => { o.Candidates = [CrossEntropyLoss.Instance, new LabelAversion()]; o.Update = update; });
            loss.EpochCompleted += reports.Add;
            using var model = Train(ml, data, loss, epochs: 6);
            // Uniform (0.5) at the start; the validation signal must move the weight to cross-entropy.
            Assert.IsTrue(reports[^1].MeanWeights[1] < 0.3, $"{update}: weight of the harmful loss in the last epoch {reports[^1].MeanWeights[1]:F3}");
            Assert.IsTrue(TestData.Accuracy(ml, model, data) > 0.8, update.ToString());
            var controller = (LossMixerController)model.LearnedLoss!;
            Assert.IsTrue(controller.Updates > 50);
            var probabilities = controller.Probabilities([0.7, 1.5], [0.5, 0.3, 0.2], 0);
            Assert.IsTrue(probabilities[0] > 0.6, $"{update}: {probabilities[0]:F3}");
        }
    }

    [TestMethod]
    public void TheDefaultCandidatesTrainABinaryStudentAndTheSameSeedGivesTheSameModel()
    {
        float[] Scores()
        {
            var ml = new MLContext(seed: 2);
            var data = BinaryTasks.ImbalancedGaussian(ml, 600, 8, 0.3, seed: 4);
            using var model = ml.BinaryClassification.Trainers.AdaptiveLoss(TestData.Fast<AdaptiveLossBinaryTrainer.Options>(4, o =>
            {
                o.Loss = Fast();
                o.ValidationFraction = 0.2;
            })).Fit(data);
            var metrics = ml.BinaryClassification.Evaluate(model.Transform(data));
            Assert.IsTrue(metrics.AreaUnderRocCurve > 0.9, $"AUC {metrics.AreaUnderRocCurve:F3}");
            Assert.AreEqual(4, ((LossMixerController)model.LearnedLoss!).CandidateNames.Count);
            return model.Transform(data).GetColumn<float>("Score").Take(50).ToArray();
        }
        CollectionAssert.AreEqual(Scores(), Scores());
    }

    [TestMethod]
    public void APretrainedControllerTrainsFrozenWithoutValidationData()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Clusters(ml);
        using var first = Train(ml, data, Fast(), epochs: 2);
        using var controller = ((LossMixerController)first.LearnedLoss!).Clone();
        int updates = controller.Updates;
        using var second = Train(ml, data, Fast(o => o.PretrainedController = controller), validationFraction: 0, epochs: 2);
        Assert.IsNull(second.LearnedLoss);
        Assert.AreEqual(updates, controller.Updates);
        Assert.IsTrue(TestData.Accuracy(ml, second, data) > 0.9);
    }

    [TestMethod]
    public void ASavedControllerLoadsWithTheSameOutputsAndADamagedOneIsRefused()
    {
        using var controller = new LossMixerController(["a", "b", "c"], 2, 4);
        using (no_grad())
            foreach (var p in controller.Parameters()) p.copy_(randn(p.shape, generator: new Generator(5)));
        using var stream = new MemoryStream();
        controller.Save(stream);
        var bytes = stream.ToArray();
        using var loaded = LossMixerController.Load(new MemoryStream(bytes));
        CollectionAssert.AreEqual(controller.Probabilities([0.1, 2, 0.5], [0.3, 0.7], 1), loaded.Probabilities([0.1, 2, 0.5], [0.3, 0.7], 1));

        var damaged = (byte[])bytes.Clone();
        damaged[^20] ^= 0x10;
        Assert.ThrowsExactly<InvalidDataException>(() => LossMixerController.Load(new MemoryStream(damaged)));
        Assert.ThrowsExactly<InvalidDataException>(() => LossMixerController.Load(new MemoryStream(bytes[..^9])));
        Assert.ThrowsExactly<InvalidDataException>(() => LossMixerController.Load(new MemoryStream([1, 2, 3])));
    }

    [TestMethod]
    public void AnUntrainedControllerMixesUniformly()
    {
        using var controller = new LossMixerController(["a", "b", "c", "d"], 3, 8);
        foreach (var p in controller.Probabilities([0.1, 2, 0.5, 9], [0.2, 0.3, 0.5], 2)) Assert.AreEqual(0.25, p, 1e-6);
    }

    [TestMethod]
    public void BadOptionsAreRefusedBeforeTrainingNamingTheOption()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Clusters(ml, rows: 60);
        void Refused<TException>(LossMixingOptions loss, string fragment, double validationFraction = 0.2) where TException : Exception
        {
            var e = Assert.ThrowsExactly<TException>(() => Train(ml, data, loss, validationFraction, epochs: 1));
            StringAssert.Contains(e.Message, fragment);
        }
        Refused<ArgumentException>(Fast(o => o.Candidates = [CrossEntropyLoss.Instance]), "Candidates");
        Refused<ArgumentException>(Fast(o => o.Candidates = [CrossEntropyLoss.Instance, CrossEntropyLoss.Instance]), "two losses named");
        Refused<ArgumentOutOfRangeException>(Fast(o => o.FinalTemperature = 0), "FinalTemperature");
        Refused<ArgumentOutOfRangeException>(Fast(o => o.ControllerLearningRate = double.NaN), "ControllerLearningRate");
        Refused<ArgumentException>(Fast(), "validation", validationFraction: 0);
        using var other = new LossMixerController(["x", "y"], 3, 4);
        Refused<ArgumentException>(Fast(o => o.PretrainedController = other), "PretrainedController");
        var regression = TestData.Linear(ml, rows: 60);
        Assert.ThrowsExactly<ArgumentException>(() => ml.Regression.Trainers.AdaptiveLoss(TestData.FastRegressionOptions(o => o.Loss = Fast())).Fit(regression));
    }

    [TestMethod]
    public void FirstOrderUpdatesWorkForAStudentWithAParameterItsForwardPassNeverUses()
    {
        TorchModuleRegistry.Register("mixing-unused-parameter", (inputs, outputs) => new WithUnusedLayer(inputs, outputs));
        var ml = new MLContext(seed: 1);
        var data = TestData.Clusters(ml);
        using var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.Fast<AdaptiveLossMulticlassTrainer.Options>(2, o =>
        {
            o.Student = new TorchModuleSpec("mixing-unused-parameter");
            o.Loss = Fast();
            o.ValidationFraction = 0.2;
        })).Fit(data);
        Assert.IsTrue(((LossMixerController)model.LearnedLoss!).Updates > 0);
    }

    private sealed class WithUnusedLayer : nn.Module<Tensor, Tensor>
    {
        private readonly TorchSharp.Modules.Linear used, unused;

        public WithUnusedLayer(int inputs, int outputs) : base("WithUnusedLayer")
        {
            used = nn.Linear(inputs, outputs);
            unused = nn.Linear(inputs, outputs);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input) => used.call(input);
    }
}
