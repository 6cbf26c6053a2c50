using AutoLoss.Core.Teaching.Ala;
using AutoLoss.ML.Scoring;
using Microsoft.ML;

namespace AutoLoss.ML.Tests;

[TestClass]
public sealed class AlaTests
{
    private static readonly object Gate = new();
    private static (MLContext Ml, IDataView Data, AdaptiveLossMulticlassTransformer Model, AlaLossOptions Loss, List<AlaActionReport> Reports, List<string> Log)? _trained;

    private static AlaLossOptions FastLoss() => new() { StepsPerAction = 6, ValidationChecksPerAction = 2, PolicyHiddenSize = 8, ReplayBatchSize = 32, Beta = 0.02 };

    /// <summary>One small ALA run (two children, concurrent) shared by the tests that need a trained policy.</summary>
    private static (MLContext Ml, IDataView Data, AdaptiveLossMulticlassTransformer Model, AlaLossOptions Loss, List<AlaActionReport> Reports, List<string> Log) Trained()
    {
        lock (Gate)
        {
            if (_trained is null)
            {
                var ml = new MLContext(seed: 1);
                var log = new List<string>();
                ml.Log += (_, e) => { if (e.Message.Contains("ALA")) lock (log) log.Add(e.Message); };
                var data = TestData.Clusters(ml, separation: 2.5f);
                var loss = FastLoss();
                var reports = new List<AlaActionReport>();
                loss.ActionCompleted += reports.Add;
                var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o => { o.Loss = loss; o.ValidationFraction = 0.2; })).Fit(data);
                _trained = (ml, data, model, loss, reports, log);
            }
            return _trained.Value;
        }
    }

    [TestMethod]
    public void ActionsMovePhiByExactlyBetaWithinTheBounds()
    {
        var phi0 = new double[,] { { 1, 0.05, 0.05 }, { 0.05, 1, 0.05 }, { 0.05, 0.05, 1 } };
        using var child = new AlaChild(phi0, 1, TorchSharp.torch.CPU, side: null);
        // Rows: pairs (0,0) (0,1) (0,2) (1,1) (1,2) (2,2); head 0 -> Phi(i,j), head 1 -> Phi(j,i) (none on the diagonal).
        using var policy = new AlaPolicyModel(AlaPolicyKind.PairShared, 3, 4);
        var (inputs, rows, targets) = policy.Inputs(new double[3, 3], null, phi0, 0.5);
        var actions = new int[rows, 2];
        actions[0, 0] = 2;                 // Phi(0,0) + beta
        actions[1, 0] = 0;                 // Phi(0,1) - beta
        actions[1, 1] = 1;                 // Phi(1,0) kept
        actions[2, 0] = 2; actions[2, 1] = 0;
        actions[3, 0] = 1;
        actions[4, 0] = 0; actions[4, 1] = 0;
        actions[5, 0] = 0;
        double change = child.Apply(new AlaDecision(inputs, rows, actions, targets), beta: 0.01, minDiagonal: 0.5, maxDiagonal: 2, maxOffDiagonal: 0.5);

        double[,] expected = { { 1.01, 0.04, 0.06 }, { 0.05, 1, 0.04 }, { 0.04, 0.04, 0.99 } };
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                Assert.AreEqual(expected[i, j], child.Phi[i, j], 1e-12, $"Phi({i},{j})");
        Assert.AreEqual(7 * 0.01, change, 1e-12);

        // At a bound the move is clamped: an off-diagonal entry never goes below 0.
        var atZero = new double[,] { { 1, 0 }, { 0, 1 } };
        using var low = new AlaChild(atZero, 1, TorchSharp.torch.CPU, side: null);
        var (i2, r2, t2) = policy.Inputs(new double[2, 2], null, atZero, 0);
        low.Apply(new AlaDecision(i2, r2, new int[r2, 2], t2), beta: 0.3, minDiagonal: 0.8, maxDiagonal: 2, maxOffDiagonal: 0.5);
        Assert.AreEqual(0.8, low.Phi[0, 0], 1e-12);
        Assert.AreEqual(0.0, low.Phi[0, 1], 1e-12);
    }

    [TestMethod]
    public void RewardSignFollowsTheMetric()
    {
        Assert.AreEqual(1, AlaReward.Sign(previousWindow: 0.10, currentWindow: 0.08, higherIsBetter: false), "lower error is a reward");
        Assert.AreEqual(-1, AlaReward.Sign(0.08, 0.10, higherIsBetter: false));
        Assert.AreEqual(0, AlaReward.Sign(0.08, 0.08, higherIsBetter: false));
        Assert.AreEqual(1, AlaReward.Sign(0.80, 0.85, higherIsBetter: true), "higher AUCPR is a reward");
        Assert.AreEqual(-1, AlaReward.Sign(0.85, 0.80, higherIsBetter: true));
        // The window weighs later measurements more: gamma^(n-j), normalised.
        Assert.AreEqual((0.81 * 3 + 0.9 * 2 + 1) / (0.81 + 0.9 + 1), AlaReward.DiscountedWindow([3, 2, 1], 0.9), 1e-12);
        Assert.ThrowsExactly<ArgumentException>(() => AlaReward.DiscountedWindow([], 0.9));
    }

    [TestMethod]
    public void ConfusionStateMatchesAHandComputation()
    {
        // Three rows: two of class 0, one of class 1; two classes.
        long[] labels = [0, 0, 1];
        float[] p = [0.8f, 0.2f, 0.6f, 0.4f, 0.3f, 0.7f];
        var view = AlaValidationView.FromProbabilities(labels, p, AlaMetric.ErrorRate, 2);
        Assert.AreEqual(-(Math.Log(0.8f) + Math.Log(0.6f)) / 2, view.Confusion[0, 0], 1e-6);
        Assert.AreEqual(-(Math.Log(0.2f) + Math.Log(0.4f)) / 2, view.Confusion[0, 1], 1e-6);
        Assert.AreEqual(-Math.Log(0.3f), view.Confusion[1, 0], 1e-6);
        Assert.AreEqual(-Math.Log(0.7f), view.Confusion[1, 1], 1e-6);
        Assert.AreEqual(0.0, view.Metric, 1e-12, "every row's most probable class is right");

        var flipped = AlaValidationView.FromProbabilities([1, 0, 1], p, AlaMetric.ErrorRate, 2);
        Assert.AreEqual(1.0 / 3, flipped.Metric, 1e-12);
        // A class absent from the validation rows reads as an uninformed student: ln C.
        var absent = AlaValidationView.FromProbabilities([0], [0.9f, 0.1f], AlaMetric.ErrorRate, 2);
        Assert.AreEqual(Math.Log(2), absent.Confusion[1, 0], 1e-12);
    }

    [TestMethod]
    public void BuiltInMetricsMatchHandComputations()
    {
        float[][] p = [[0.9f, 0.1f], [0.4f, 0.6f], [0.3f, 0.7f], [0.6f, 0.4f]];
        int[] y = [0, 1, 0, 1];
        Assert.AreEqual(0.5, AlaMetric.ErrorRate.Compute(y, p), 1e-12);
        Assert.AreEqual(0.5, AlaMetric.MacroF1.Compute(y, p), 1e-12);   // both classes: precision 1/2, recall 1/2
        // Ranked by p_1: 0.7 (neg), 0.6 (pos), 0.4 (pos), 0.1 (neg): AP = (1/2 + 2/3) / 2.
        Assert.AreEqual((0.5 + 2.0 / 3) / 2, AlaMetric.AreaUnderPrecisionRecallCurve.Compute(y, p), 1e-12);
        Assert.AreEqual((1 + 4) / 4.0, AlaMetric.Cost(new float[,] { { 0, 1 }, { 4, 0 } }).Compute(y, p), 1e-12);
    }

    [TestMethod]
    public void PolicyRoundTripsThroughSaveAndLoad()
    {
        var (_, _, trained, _, _, _) = Trained();
        var policy = trained.GetLearnedLoss<AlaPolicyModel>();
        Assert.IsNotNull(policy);
        Assert.IsGreaterThan(0, policy.Updates);
        using var stream = new MemoryStream();
        policy.Save(stream);
        stream.Position = 0;
        using var loaded = AlaPolicyModel.Load(stream);
        var state = new double[,] { { 0.1, 3, 2 }, { 4, 0.2, 5 }, { 1, 2, 0.3 } };
        var phi = new double[,] { { 1, 0.05, 0.05 }, { 0.05, 1, 0.05 }, { 0.05, 0.05, 1 } };
        var (inputs, rows, _) = policy.Inputs(state, null, phi, 0.3);
        using var a = new AlaPolicyLearner(policy, TorchSharp.torch.CPU, 0, 0.9, 0, 1);
        using var b = new AlaPolicyLearner(loaded, TorchSharp.torch.CPU, 0, 0.9, 0, 1);
        CollectionAssert.AreEqual(a.Probabilities(inputs, rows), b.Probabilities(inputs, rows));
        Assert.AreEqual(policy.Updates, loaded.Updates);
        Assert.ThrowsExactly<InvalidDataException>(() => AlaPolicyModel.Load(new MemoryStream([1, 2, 3])));
    }

    [TestMethod]
    public void TrainsWithChildrenLogsDecisionsAndWorksThroughMlNet()
    {
        var (ml, data, model, _, reports, log) = Trained();
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(data));
        Assert.IsGreaterThan(0.8, metrics.MicroAccuracy);
        Assert.IsGreaterThan(3, reports.Count);
        Assert.IsTrue(reports.Skip(1).Any(r => r.MeanAbsolutePhiChange > 0), "the controller should move Phi");
        lock (log)
        {
            Assert.IsTrue(log.Any(l => l.Contains("2 child model(s)")), string.Join("\n", log));
            Assert.IsTrue(log.Any(l => l.Contains("ALA decision") && l.Contains("reward") && l.Contains("|dPhi|")), string.Join("\n", log));
        }
        var path = Path.Combine(Path.GetTempPath(), $"ala-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.SaveWithAutoLoss(model, data.Schema, path);
            var loaded = ml.Model.LoadWithAutoLoss(path, out _);
            CollectionAssert.AreEqual(TestData.Scores(model.Transform(data)).SelectMany(s => s).ToArray(),
                TestData.Scores(loaded.Transform(data)).SelectMany(s => s).ToArray());
        }
        finally { File.Delete(path); }
    }

    [TestMethod]
    public void ConcurrentAndSequentialChildrenGiveTheSameModel()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Clusters(ml, rows: 300);
        float[] Fit(bool concurrent)
        {
            var loss = FastLoss();
            loss.RunChildrenConcurrently = concurrent;
            var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o => { o.Loss = loss; o.ValidationFraction = 0.2; o.NumberOfEpochs = 3; })).Fit(data);
            return TestData.Scores(model.Transform(data)).SelectMany(s => s).ToArray();
        }
        CollectionAssert.AreEqual(Fit(true), Fit(false));
    }

    [TestMethod]
    public void PretrainedPolicyTeachesATaskWithAnotherNumberOfClasses()
    {
        var (_, _, trained, _, _, _) = Trained();
        var ml = new MLContext(seed: 2);
        var raw = AutoLoss.SyntheticData.GaussianClusters(ml, 400, TestData.Features, 5, 9, 3f);
        var data = ml.Transforms.Conversion.MapValueToKey("Label").Fit(raw).Transform(raw);
        var loss = new AlaLossOptions { PretrainedPolicy = trained.GetLearnedLoss<AlaPolicyModel>(), StepsPerAction = 6, ValidationChecksPerAction = 2, Children = 1 };
        var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o => { o.Loss = loss; o.ValidationFraction = 0.2; })).Fit(data);
        Assert.IsGreaterThan(0.7, TestData.Accuracy(ml, model, data));
        Assert.IsNull(model.LearnedLoss, "a frozen policy is not retrained");
    }

    [TestMethod]
    public void SingleNetworkPolicyActsOnEveryElementOfPhi()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Clusters(ml, rows: 300);
        var loss = FastLoss();
        loss.Policy = AlaPolicyKind.SingleNetwork;
        loss.Children = 1;
        var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o => { o.Loss = loss; o.ValidationFraction = 0.2; })).Fit(data);
        Assert.IsGreaterThan(0.8, TestData.Accuracy(ml, model, data));
        var policy = model.GetLearnedLoss<AlaPolicyModel>()!;
        Assert.AreEqual(AlaPolicyKind.SingleNetwork, policy.Kind);
        Assert.AreEqual(9, policy.Heads);
        Assert.AreEqual(3 * 9 + 1, policy.InputSize);
        var (_, rows, targets) = policy.Inputs(new double[3, 3], null, new double[3, 3], 0);
        Assert.AreEqual(1, rows);
        CollectionAssert.AreEqual(Enumerable.Range(0, 9).ToArray(), targets.Cast<int>().ToArray());
    }

    [TestMethod]
    public void CancellationStopsTheStudentAndItsSideChildren()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Clusters(ml, rows: 300);
        using var cancel = new CancellationTokenSource();
        var loss = FastLoss();
        int decisions = 0;
        loss.ActionCompleted += _ => { if (++decisions == 2) cancel.Cancel(); };
        Assert.Throws<OperationCanceledException>(() => ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o =>
        {
            o.Loss = loss;
            o.ValidationFraction = 0.2;
            o.CancellationToken = cancel.Token;
        })).Fit(data));
        Assert.AreEqual(2, decisions, "no decision after cancellation");
    }

    [TestMethod]
    public void CrossEntropyMatchedScaleGivesCrossEntropysGradientAtAnUntrainedStudent()
    {
        AutoLoss.Core.Training.TorchRuntime.EnsureLoaded();
        using var scope = TorchSharp.torch.NewDisposeScope();
        var phi = new double[,] { { 0.25, 0 }, { 0, 0.25 } };
        double scale = AutoLoss.Core.Losses.ParametricLoss.CrossEntropyMatchedScale(phi);
        var logits = TorchSharp.torch.zeros(1, 2).requires_grad_(true);   // p = (1/2, 1/2)
        var labels = TorchSharp.torch.tensor(new long[] { 1 });
        var phiTensor = TorchSharp.torch.tensor(new float[] { 0.25f, 0, 0, 0.25f }, [2, 2]);
        var loss = AutoLoss.Core.Losses.ParametricLoss.PerExample(logits, labels, phiTensor, TorchSharp.torch.tensor(MathF.Log(2) * 0.25f)).mul(scale).sum();
        loss.backward();
        var gradient = logits.grad!.data<float>().ToArray();
        // Cross-entropy's gradient w.r.t. the logits is p - onehot(y) = (0.5, -0.5).
        Assert.AreEqual(0.5, gradient[0], 1e-5);
        Assert.AreEqual(-0.5, gradient[1], 1e-5);
    }

    [TestMethod]
    public void BinaryTasksStartFromASmallCrossEntropyMatchedPhiAndMulticlassFromTheIdentity()
    {
        var options = new AlaLossOptions();
        var binary = options.ResolveInitialPhi(2, binary: true);
        Assert.AreEqual(0.25, binary[1, 1], 1e-12);
        Assert.AreEqual(0.0125, binary[1, 0], 1e-12);
        Assert.AreEqual(AutoLoss.Core.Losses.ParametricLoss.CrossEntropyMatchedScale(binary), options.ResolveLossScale(binary, binary: true), 1e-12);
        Assert.AreEqual(16, options.ResolveLossScale(binary, binary: true), 1e-9);
        var multiclass = options.ResolveInitialPhi(4, binary: false);
        Assert.AreEqual(1, multiclass[2, 2], 1e-12);
        Assert.AreEqual(0.05, multiclass[2, 0], 1e-12);
        Assert.AreEqual(1, options.ResolveLossScale(multiclass, binary: false));
        var given = new AlaLossOptions { InitialDiagonal = 0.5, InitialOffDiagonal = 0.01, LossScale = 3 };
        Assert.AreEqual(0.01, given.ResolveInitialPhi(2, binary: true)[0, 1], 1e-12);
        Assert.AreEqual(3, given.ResolveLossScale(given.ResolveInitialPhi(2, binary: true), binary: true));
    }

    [TestMethod]
    public void BadOptionsGiveClearErrors()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Clusters(ml, rows: 120);
        TException Fails<TException>(AlaLossOptions loss, double validationFraction = 0.2) where TException : Exception =>
            Assert.Throws<TException>(() => ml.MulticlassClassification.Trainers.AdaptiveLoss(
                TestData.FastOptions(o => { o.Loss = loss; o.ValidationFraction = validationFraction; })).Fit(data));

        StringAssert.Contains(Fails<ArgumentException>(new AlaLossOptions { Beta = 0 }).Message, "Beta");
        StringAssert.Contains(Fails<ArgumentException>(new AlaLossOptions { Beta = -0.1 }).Message, "Beta");
        StringAssert.Contains(Fails<ArgumentException>(new AlaLossOptions { StepsPerAction = 0 }).Message, "StepsPerAction");
        StringAssert.Contains(Fails<ArgumentException>(new AlaLossOptions { Gamma = 1.5 }).Message, "Gamma");
        StringAssert.Contains(Fails<ArgumentException>(new AlaLossOptions { Children = 0 }).Message, "Children");
        StringAssert.Contains(Fails<ArgumentException>(new AlaLossOptions { InitialPhi = new float[2, 2] }).Message, "InitialPhi");
        StringAssert.Contains(Fails<ArgumentException>(new AlaLossOptions { InitialDiagonal = 3 }).Message, "InitialDiagonal");
        StringAssert.Contains(Fails<ArgumentException>(new AlaLossOptions { LossScale = 0 }).Message, "LossScale");
        var binaryDefault = Assert.Throws<ArgumentOutOfRangeException>(() => new AlaLossOptions { MinimumDiagonal = 0.5 }.Validate(TrainingTask.Binary, "Loss"));
        StringAssert.Contains(binaryDefault.Message, "InitialDiagonal");
        new AlaLossOptions { MinimumDiagonal = 0.5 }.Validate(TrainingTask.Multiclass(3), "Loss");   // the multiclass default (1) is within
        StringAssert.Contains(Fails<ArgumentException>(new AlaLossOptions(), validationFraction: 0).Message, "ValidationFraction");
        using var single = new AlaPolicyModel(AlaPolicyKind.SingleNetwork, 4, 8);
        StringAssert.Contains(Fails<ArgumentException>(new AlaLossOptions { PretrainedPolicy = single }).Message, "PretrainedPolicy");
        var nan = AlaMetric.Custom("broken", higherIsBetter: true, (_, _) => double.NaN);
        var error = Fails<InvalidOperationException>(new AlaLossOptions { Metric = nan, StepsPerAction = 5, ValidationChecksPerAction = 1 });
        StringAssert.Contains(error.Message, "broken");
        StringAssert.Contains(error.Message, "NaN");
    }

    [TestMethod]
    public void AGlobalControllerMovesTheWholeDiagonalAndTheWholeOffDiagonalTogether()
    {
        AutoLoss.Core.Training.TorchRuntime.EnsureLoaded();
        using var policy = new AlaPolicyModel(AlaPolicyKind.Global, 3, 8);
        var confusion = new double[3, 3] { { 0.1, 2, 3 }, { 2, 0.2, 3 }, { 3, 3, 0.3 } };
        var phi0 = new double[3, 3] { { 1, 0.05, 0.05 }, { 0.05, 1, 0.05 }, { 0.05, 0.05, 1 } };
        var (inputs, rows, targets) = policy.Inputs(confusion, null, phi0, 0.5);
        Assert.AreEqual(1, rows);
        Assert.HasCount(AlaPolicyModel.PairInputSize, inputs);
        Assert.AreEqual((Math.Log(1.1) + Math.Log(1.2) + Math.Log(1.3)) / 3, inputs[0], 1e-6, "mean diagonal of ln(1 + C)");
        Assert.AreEqual((2 * Math.Log(3) + 4 * Math.Log(4)) / 6, inputs[1], 1e-6, "mean off-diagonal of ln(1 + C)");
        using var child = new AutoLoss.Core.Teaching.Ala.AlaChild(phi0, 1, TorchSharp.torch.CPU, side: null);
        var decision = new AutoLoss.Core.Teaching.Ala.AlaDecision(inputs, rows, new int[,] { { 2, 0 } }, targets);
        double change = child.Apply(decision, 0.1, 0.1, 2, 0.5);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                Assert.AreEqual(i == j ? 1.1 : 0, child.Phi[i, j], 1e-9, $"Phi[{i}, {j}]");
        Assert.AreEqual(3 * 0.1 + 6 * 0.05, change, 1e-9);
        Assert.IsTrue(policy.Supports(7));
    }
}
