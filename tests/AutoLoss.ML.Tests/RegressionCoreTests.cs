using AutoLoss.Core.Data;
using AutoLoss.Core.Losses;
using AutoLoss.Core.Students;
using AutoLoss.Core.Teaching;
using AutoLoss.Core.Training;
using static TorchSharp.torch;

namespace AutoLoss.ML.Tests;

/// <summary>The training core's regression parts, without ML.NET.</summary>
[TestClass]
public sealed class RegressionCoreTests
{
    [TestMethod]
    public void SquaredErrorMatchesAHandComputationWithAndWithoutWeights()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var predictions = tensor(new float[] { 1f, -2f, 0.5f }, [3, 1]);
        var targets = tensor(new float[] { 3f, -2f, 0f });
        CollectionAssert.AreEqual(new[] { 4f, 0f, 0.25f }, SquaredErrorLoss.Instance.Compute(predictions, targets).data<float>().ToArray());

        using var teacher = LossOptions.SquaredError().CreateTeacher(TrainingTask.Regression);
        var state = new StudentState { Student = null!, Features = zeros(3, 2), Logits = predictions, Labels = targets, Weights = tensor(new float[] { 1f, 0f, 3f }) };
        Assert.AreEqual((4f + 3 * 0.25f) / 4f, teacher.ComputeLoss(state).item<float>(), 1e-6, "weighted mean of the squared errors");
        var unweighted = new StudentState { Student = null!, Features = zeros(3, 2), Logits = predictions, Labels = targets };
        Assert.AreEqual(4.25f / 3f, teacher.ComputeLoss(unweighted).item<float>(), 1e-6);
    }

    [TestMethod]
    public void SquaredErrorRejectsBadShapesAndClassLabelsBeforeLibtorch()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => SquaredErrorLoss.Instance.Compute(zeros(3, 2), zeros(3)), "two outputs");
        Assert.Throws<ArgumentException>(() => SquaredErrorLoss.Instance.Compute(zeros(3, 1), zeros(4)), "row counts differ");
        var error = Assert.Throws<ArgumentException>(() => SquaredErrorLoss.Instance.Compute(zeros(3, 1), zeros(3, dtype: ScalarType.Int64)));
        StringAssert.Contains(error.Message, "class indices");
    }

    [TestMethod]
    public void TasksDescribeTheirOutputsAndLabels()
    {
        Assert.AreEqual(1, TrainingTask.Regression.OutputSize);
        Assert.AreEqual(ScalarType.Float32, TrainingTask.Regression.LabelType);
        Assert.AreEqual(10, TrainingTask.Multiclass(10).OutputSize);
        Assert.AreEqual(ScalarType.Int64, TrainingTask.Multiclass(10).LabelType);
        Assert.AreEqual(TrainingTask.Multiclass(3), TrainingTask.Multiclass(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => TrainingTask.Multiclass(1));
        Assert.AreEqual(TrainingTask.Multiclass(4), new TrainingProblem { Student = new MlpSpec(), NumberOfClasses = 4, Train = null! }.Task, "NumberOfClasses still sets a multiclass task");
    }

    [TestMethod]
    public void EveryClassificationLossRefusesRegressionAndSquaredErrorRefusesClassification()
    {
        foreach (var loss in new LossOptions[] { LossOptions.CrossEntropy(), LossOptions.Parametric(new float[2, 2]), new AutoLoss.L2tDlfLossOptions() })
        {
            var error = Assert.Throws<ArgumentException>(() => loss.Validate(TrainingTask.Regression, "Loss"));
            StringAssert.Contains(error.Message, "LossOptions.SquaredError()");
            Assert.Throws<ArgumentException>(() => loss.CreateTeacher(TrainingTask.Regression));
        }
        Assert.Throws<ArgumentException>(() => LossOptions.SquaredError().Validate(TrainingTask.Multiclass(3), "Loss"));
        Assert.Throws<ArgumentException>(() => LossOptions.SquaredError().CreateTeacher(TrainingTask.Binary));
    }

    [TestMethod]
    public void StudentTrainerFitsARegressionProblemDirectly()
    {
        // y = 2 x0 - x1 + 0.5 on 200 rows, a linear student, no ML.NET.
        var random = new Random(5);
        var features = Enumerable.Range(0, 400).Select(_ => (float)random.NextDouble() * 2 - 1).ToArray();
        var targets = Enumerable.Range(0, 200).Select(i => 2 * features[2 * i] - features[2 * i + 1] + 0.5f).ToArray();
        using var train = new InMemoryDataset(features, targets, null, 2, CPU);
        using var validation = new InMemoryDataset(features, targets, null, 2, CPU);
        var outcome = StudentTrainer.Train(
            new TrainingProblem { Student = new MlpSpec { HiddenSizes = [] }, Task = TrainingTask.Regression, Train = train, Validation = validation, Loss = LossOptions.SquaredError() },
            new TrainingSettings { NumberOfEpochs = 30, BatchSize = 20, LearningRate = 0.05, EarlyStoppingMetric = MetricNames.MeanSquaredError, EarlyStoppingPatience = 5, Device = ComputeDevice.Cpu, Seed = 1 });
        using var student = outcome.Student;
        Assert.IsLessThan(1e-3, outcome.History[outcome.SelectedEpoch].ValidationMeanSquaredError!.Value);
        using var noGrad = no_grad();
        using var prediction = student.forward(tensor(new float[] { 0.5f, -0.5f }, [1, 2]));
        Assert.AreEqual(2f, prediction.item<float>(), 0.05f);
    }

    [TestMethod]
    public void CoreRefusesMismatchedLabelsAndMetrics()
    {
        TorchRuntime.EnsureLoaded();
        using var classes = new InMemoryDataset(new float[4], new long[] { 0, 1 }, null, 2, CPU);
        var settings = new TrainingSettings { NumberOfEpochs = 1, Device = ComputeDevice.Cpu };
        var labelError = Assert.Throws<ArgumentException>(() => StudentTrainer.Train(
            new TrainingProblem { Student = new MlpSpec { HiddenSizes = [] }, Task = TrainingTask.Regression, Train = classes, Validation = classes, Loss = LossOptions.SquaredError() }, settings));
        StringAssert.Contains(labelError.Message, "Float32");
        var metricError = Assert.Throws<ArgumentException>(() => StudentTrainer.Train(
            new TrainingProblem { Student = new MlpSpec { HiddenSizes = [] }, Task = TrainingTask.Regression, Train = classes, Validation = classes, Loss = LossOptions.SquaredError() },
            new TrainingSettings { NumberOfEpochs = 1, Device = ComputeDevice.Cpu, EarlyStoppingPatience = 1, EarlyStoppingMetric = MetricNames.Accuracy }));
        StringAssert.Contains(metricError.Message, "MeanSquaredError");
        Assert.Throws<ArgumentException>(() => ValidationMetrics.MeanSquaredError(new MlpSpec { HiddenSizes = [] }.Build(2, 1), classes));
    }

    [TestMethod]
    public void ManagedForwardGivesTheRawOutputsOfTheNetwork()
    {
        random.manual_seed(3);
        var spec = new MlpSpec { HiddenSizes = [7], Activation = Activation.Tanh };
        using var network = spec.Build(5, 1);
        network.eval();
        var managed = ManagedMlp.TryCreate(spec, network)!;
        var x = new float[] { 0.3f, -1.2f, 2f, 0f, 0.7f };
        using var noGrad = no_grad();
        using var expected = network.forward(tensor(x, [1, 5]));
        var actual = new float[1];
        managed.Predict(x, actual);
        Assert.AreEqual(expected.item<float>(), actual[0], 1e-5);
    }
}
