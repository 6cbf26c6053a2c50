using AutoLoss.Core.Students;
using AutoLoss.Core.Teaching.Ala;
using AutoLoss.Core.Teaching.L2tDlf;
using AutoLoss.Core.Training;
using AutoLoss.ML.Datasets;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Tests;

/// <summary>The binary AUCPR metric (by hand), AUCPR early stopping, and the binary task's other guarantees.</summary>
[TestClass]
public sealed class BinaryMetricTests
{
    private static readonly MLContext Ml = new(seed: 1);

    private static IDataView Imbalanced(int rows, int seed, double separation = 3) =>
        BinaryTasks.ImbalancedGaussian(Ml, rows, TestData.Features, 0.2, seed, separation);

    [TestMethod]
    public void AveragePrecisionMatchesAHandComputation()
    {
        // Ranked +, -, +, -, -: precision 1 at recall 1/2 and 2/3 at recall 1, so AP = 1/2 + 1/2 * 2/3 = 5/6.
        Assert.AreEqual(5.0 / 6, AveragePrecision.Compute([0.9f, 0.8f, 0.7f, 0.6f, 0.5f], [true, false, true, false, false]), 1e-12);
        Assert.AreEqual(1.0, AveragePrecision.Compute([3f, 2f, 1f], [true, true, false]), 1e-12);
        Assert.AreEqual(0.25, AveragePrecision.Compute([4f, 3f, 2f, 1f], [false, false, false, true]), 1e-12);
    }

    [TestMethod]
    public void TiedScoresFormOneThresholdWhateverTheRowOrder()
    {
        // A tie at 0.5 holding one + and one -: precision 2/3 at recall 1 in both orders (row by row would give 1 for "+ first").
        Assert.AreEqual(5.0 / 6, AveragePrecision.Compute([0.9f, 0.5f, 0.5f, 0.1f], [true, true, false, false]), 1e-12);
        Assert.AreEqual(5.0 / 6, AveragePrecision.Compute([0.9f, 0.5f, 0.5f, 0.1f], [true, false, true, false]), 1e-12);
        Assert.AreEqual(0.4, AveragePrecision.Compute([1f, 1f, 1f, 1f, 1f], [true, false, true, false, false]), 1e-12, "all tied: the positive rate");
    }

    [TestMethod]
    public void AucprEarlyStoppingIsABinaryMetricOnly()
    {
        Assert.IsTrue(TrainingTask.Binary.Metric(MetricNames.AreaUnderPrecisionRecallCurve, "EarlyStoppingMetric").HigherIsBetter);
        var error = Assert.ThrowsExactly<ArgumentException>(() => TrainingTask.Multiclass(3).Metric(MetricNames.AreaUnderPrecisionRecallCurve, "EarlyStoppingMetric"));
        StringAssert.Contains(error.Message, "EarlyStoppingMetric");
        StringAssert.Contains(error.Message, "Accuracy, LogLoss", "the error lists the metrics the task measures");
        Assert.ThrowsExactly<ArgumentException>(() => new TrainingSettings { EarlyStoppingMetric = MetricNames.AreaUnderPrecisionRecallCurve }.Validate(TrainingTask.Regression));
        Assert.Throws<ArgumentException>(() => Ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o => o.EarlyStoppingMetric = MetricNames.AreaUnderPrecisionRecallCurve)));
    }

    [TestMethod]
    public void ValidationAucprIsReportedEveryEpochAndEarlyStoppingKeepsItsBestEpoch()
    {
        var validation = Imbalanced(300, seed: 9, separation: 2);
        using var model = Ml.BinaryClassification.Trainers.AdaptiveLoss(TestData.Fast<AutoLoss.AdaptiveLossBinaryTrainer.Options>(configure: o =>
        {
            o.NumberOfEpochs = 40;
            o.ValidationData = validation;
            o.EarlyStoppingPatience = 2;
            o.EarlyStoppingMetric = MetricNames.AreaUnderPrecisionRecallCurve;
            o.LearningRate = 0.3; // overfits the small training set quickly, so validation AUCPR stops improving
        })).Fit(Imbalanced(400, seed: 9, separation: 2));
        var history = model.TrainingHistory;
        Assert.IsTrue(history.All(h => h.ValidationAreaUnderPrecisionRecallCurve is > 0 and <= 1), "every epoch reports a validation AUCPR");
        Assert.IsLessThan(40, history.Count, "training should stop early");
        double best = history.Max(h => h.ValidationAreaUnderPrecisionRecallCurve!.Value);
        Assert.AreEqual(best, history[^3].ValidationAreaUnderPrecisionRecallCurve!.Value, "patience 2: the best epoch is two before the last");
        var scored = model.Transform(validation);
        double kept = AveragePrecision.Compute(scored.GetColumn<float>("Score").ToArray(), scored.GetColumn<bool>("Label").ToArray());
        Assert.AreEqual(best, kept, 1e-6, "the model holds the best epoch's weights");
    }

    [TestMethod]
    public void TrainingDataWithOneClassOnlyIsRejected()
    {
        var rows = Ml.Data.CreateEnumerable<BoolRow>(Imbalanced(40, seed: 3), reuseRowObject: false).ToList();
        foreach (var r in rows) r.Label = false;
        var error = Assert.Throws<ArgumentException>(() =>
        {
            using var model = Ml.BinaryClassification.Trainers.AdaptiveLoss(TestData.Fast<AutoLoss.AdaptiveLossBinaryTrainer.Options>()).Fit(Ml.Data.LoadFromEnumerable(rows));
        });
        StringAssert.Contains(error.Message, "false in every row");
        StringAssert.Contains(error.Message, "both classes");
    }

    [TestMethod]
    public void L2tDlfTeacherTrainsABinaryStudentWithA2x2Phi()
    {
        var data = Imbalanced(600, seed: 7);
        var loss = new L2tDlfLossOptions { UnrollSteps = 5, StudentStepsPerTeacherUpdate = 10, TeacherHiddenSize = 8, DevBatchSize = 64 };
        using var model = Ml.BinaryClassification.Trainers.AdaptiveLoss(TestData.Fast<AutoLoss.AdaptiveLossBinaryTrainer.Options>(epochs: 10, configure: o =>
        {
            o.Loss = loss;
            o.ValidationFraction = 0.2;
        })).Fit(data);
        Assert.IsGreaterThan(0.9, Ml.BinaryClassification.Evaluate(model.Transform(data)).AreaUnderRocCurve);
        var teacher = model.GetLearnedLoss<L2tDlfTeacherModel>();
        Assert.IsNotNull(teacher);
        Assert.AreEqual(2, teacher.NumberOfClasses, "the teacher sets a 2 x 2 Phi_t");
    }

    public sealed class BoolRow
    {
        public bool Label { get; set; }

        [Microsoft.ML.Data.VectorType(TestData.Features)]
        public float[] Features { get; set; } = [];
    }
}
