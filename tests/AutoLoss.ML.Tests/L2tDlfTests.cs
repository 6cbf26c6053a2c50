using AutoLoss.Core.Students;
using AutoLoss.Core.Teaching.L2tDlf;
using AutoLoss.ML.Scoring;
using AutoLoss.ML.Trainers;
using Microsoft.ML;
using static TorchSharp.torch;

namespace AutoLoss.ML.Tests;

[TestClass]
public sealed class L2tDlfTests
{
    private static readonly object Gate = new();
    private static (MLContext Ml, IDataView Data, AdaptiveLossMulticlassTransformer Model, L2tDlfLossOptions Loss, List<string> Log)? _trained;

    public TestContext TestContext { get; set; } = null!;

    private static L2tDlfLossOptions FastLoss() => new() { UnrollSteps = 5, StudentStepsPerTeacherUpdate = 10, TeacherHiddenSize = 8, DevBatchSize = 64 };

    /// <summary>One small L2T-DLF run shared by the tests that need a trained teacher.</summary>
    private static (MLContext Ml, IDataView Data, AdaptiveLossMulticlassTransformer Model, L2tDlfLossOptions Loss, List<string> Log) Trained()
    {
        lock (Gate)
        {
            if (_trained is null)
            {
                var ml = new MLContext(seed: 1);
                var log = new List<string>();
                ml.Log += (_, e) => { if (e.Message.Contains("L2T-DLF")) lock (log) log.Add(e.Message); };
                var data = TestData.Clusters(ml);
                var loss = FastLoss();
                var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o => { o.Loss = loss; o.ValidationFraction = 0.2; })).Fit(data);
                _trained = (ml, data, model, loss, log);
            }
            return _trained.Value;
        }
    }

    [TestMethod]
    public void HypergradientMatchesFiniteDifferences()
    {
        random.manual_seed(11);
        var spec = new MlpSpec { HiddenSizes = [5], Activation = Activation.Tanh };
        using var teacher = new L2tDlfTeacherModel(3, 6).To(CPU, ScalarType.Float64);
        var theta = teacher.Parameters().ToList();
        using (no_grad())
            foreach (var p in theta) p.copy_(randn_like(p).mul(0.3));   // non-zero output layer: every part of theta matters
        using var scope = NewDisposeScope();
        var w0 = spec.ParameterShapes(4, 3).Select(s => randn(s, dtype: ScalarType.Float64).mul(0.5)).ToList();
        var batches = Enumerable.Range(0, 3).Select(t =>
            new L2tDlfBatch(randn(8, 4, dtype: ScalarType.Float64), randint(0, 3, [8], dtype: ScalarType.Int64), 0.1 * t, 0.5)).ToList();
        var devX = randn(16, 4, dtype: ScalarType.Float64);
        var devY = randint(0, 3, [16], dtype: ScalarType.Int64);
        var cost = ones(3, 3, dtype: ScalarType.Float64).sub(eye(3, dtype: ScalarType.Float64));

        var (grads, _) = L2tDlfUnroll.Hypergradient(teacher, spec, w0, batches, Math.Log(3), devX, devY, cost);
        Assert.IsTrue(grads.All(g => g.abs().sum().item<double>() > 0), "every parameter group of theta should get a gradient");

        double Metric()
        {
            using var m = L2tDlfUnroll.DevMetric(teacher, spec, w0, batches, Math.Log(3), devX, devY, cost);
            return m.item<double>();
        }
        void Shift(IReadOnlyList<Tensor> direction, double by)
        {
            using var noGrad = no_grad();
            for (int i = 0; i < theta.Count; i++) theta[i].add_(direction[i].mul(by));
        }

        const double eps = 1e-5;
        // A random direction over all of theta, and single coordinates of each layer.
        var directions = new List<Tensor[]> { theta.Select(p => randn_like(p)).ToArray() };
        for (int k = 0; k < theta.Count; k++)
        {
            var d = theta.Select(p => zeros_like(p)).ToArray();
            d[k].view(-1)[0] = tensor(1.0, dtype: ScalarType.Float64);
            directions.Add(d);
        }
        foreach (var direction in directions)
        {
            double analytic = grads.Zip(direction, (g, v) => g.mul(v).sum().item<double>()).Sum();
            Shift(direction, eps);
            double plus = Metric();
            Shift(direction, -2 * eps);
            double minus = Metric();
            Shift(direction, eps);
            double numeric = (plus - minus) / (2 * eps);
            double relative = Math.Abs(analytic - numeric) / Math.Max(Math.Abs(numeric), 1e-8);
            TestContext.WriteLine($"analytic {analytic:E6}, finite difference {numeric:E6}, relative error {relative:E2}");
            Assert.IsLessThan(1e-2, relative, $"hypergradient {analytic} vs finite difference {numeric}");
        }
    }

    [TestMethod]
    public void DefaultTeacherLearningRateIsSmallAndUpdatesLogPhiDrift()
    {
        // 0.01 let Adam push Phi_t away from I faster than the run could correct (digits: 15% vs 7.8% test error).
        Assert.AreEqual(0.001, new L2tDlfLossOptions().TeacherLearningRate, 1e-12);
        var (_, _, _, _, log) = Trained();
        lock (log)
            Assert.IsTrue(log.Any(l => l.Contains("teacher update") && l.Contains("mean |off-diagonal|")),
                "teacher updates should log how far Phi_t's off-diagonal entries have drifted");
    }

    [TestMethod]
    public void UntrainedTeacherStartsAtIdentityAndLnC()
    {
        using var teacher = new L2tDlfTeacherModel(4, 8);
        var state = new double[teacher.StateSize];
        var (phi, bias) = teacher.Evaluate(state);
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++)
                Assert.AreEqual(i == j ? 1.0 : 0.0, phi[i, j], 1e-6);
        Assert.AreEqual(Math.Log(4), bias, 1e-6);
        Assert.HasCount(teacher.StateSize, teacher.StateDescription);
    }

    [TestMethod]
    public void TrainedTeacherChangesPhiWithTheState()
    {
        var (_, _, model, _, log) = Trained();
        var teacher = model.GetLearnedLoss<L2tDlfTeacherModel>();
        Assert.IsNotNull(teacher);
        Assert.IsGreaterThan(0, teacher.TeacherUpdates);
        var early = new double[teacher.StateSize];
        var late = new double[teacher.StateSize];
        early[1] = early[2] = 1; late[0] = 1; late[3] = 1;          // untrained student vs. a well-trained one at the end
        for (int c = 0; c < TestData.Classes; c++) { early[4 + c] = -1; late[4 + c] = -0.05; }
        var (phiEarly, biasEarly) = teacher.Evaluate(early);
        var (phiLate, biasLate) = teacher.Evaluate(late);
        double difference = Math.Abs(biasEarly - biasLate);
        double fromIdentity = 0;
        for (int i = 0; i < TestData.Classes; i++)
            for (int j = 0; j < TestData.Classes; j++)
            {
                difference += Math.Abs(phiEarly[i, j] - phiLate[i, j]);
                fromIdentity += Math.Abs(phiLate[i, j] - (i == j ? 1 : 0));
            }
        Assert.IsGreaterThan(1e-4, difference, "Phi_t should depend on s_t");
        Assert.IsGreaterThan(1e-4, fromIdentity, "learning should move Phi away from its identity start");
        lock (log) Assert.IsTrue(log.Any(l => l.Contains("teacher update") && l.Contains("M~")), string.Join("\n", log));
    }

    [TestMethod]
    public void SavedTeacherLoadsWithIdenticalPhi()
    {
        var teacher = Trained().Model.GetLearnedLoss<L2tDlfTeacherModel>()!;
        var state = Enumerable.Range(0, teacher.StateSize).Select(i => 0.1 * i - 0.3).ToArray();
        using var stream = new MemoryStream();
        teacher.Save(stream);
        stream.Position = 0;
        using var loaded = L2tDlfTeacherModel.Load(stream);
        var (phi, bias) = teacher.Evaluate(state);
        var (phi2, bias2) = loaded.Evaluate(state);
        CollectionAssert.AreEqual(phi.Cast<double>().ToArray(), phi2.Cast<double>().ToArray());
        Assert.AreEqual(bias, bias2);
        Assert.AreEqual(teacher.TeacherUpdates, loaded.TeacherUpdates);
        Assert.ThrowsExactly<InvalidDataException>(() => L2tDlfTeacherModel.Load(new MemoryStream([1, 2, 3])));
    }

    [TestMethod]
    public void TrainsEvaluatesAndRoundTripsThroughMlNet()
    {
        var (ml, data, model, _, _) = Trained();
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(data));
        TestContext.WriteLine($"L2T-DLF accuracy on the clusters: {metrics.MicroAccuracy:P2}");
        Assert.IsGreaterThan(0.8, metrics.MicroAccuracy);

        string path = Path.Combine(TestContext.TestRunDirectory ?? Path.GetTempPath(), $"{Guid.NewGuid():N}-l2tdlf.zip");
        ml.Model.SaveWithAutoLoss(model, data.Schema, path);
        var loaded = new MLContext().Model.LoadWithAutoLoss(path, out _);
        var expected = TestData.Scores(model.Transform(data));
        var actual = TestData.Scores(loaded.Transform(data));
        for (int i = 0; i < expected.Count; i++) CollectionAssert.AreEqual(expected[i], actual[i]);
        (loaded as IDisposable)?.Dispose();
    }

    [TestMethod]
    public void PretrainedTeacherTeachesAnotherStudentWithoutValidationData()
    {
        var teacher = Trained().Model.GetLearnedLoss<L2tDlfTeacherModel>()!;
        var ml = new MLContext(seed: 2);
        var data = TestData.Clusters(ml, seed: 9);
        var loss = new L2tDlfLossOptions { PretrainedTeacher = teacher };
        using var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o =>
        {
            o.Loss = loss;
            o.Student = new MlpSpec { HiddenSizes = [32, 8], Activation = Activation.Tanh };
        })).Fit(data);
        Assert.IsGreaterThan(0.8, TestData.Accuracy(ml, model, data));
        Assert.IsNull(model.LearnedLoss, "a frozen teacher is not retrained");
    }

    [TestMethod]
    public void BadOptionsGiveClearErrors()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Clusters(ml, rows: 200);
        TException Fails<TException>(L2tDlfLossOptions loss, double validationFraction = 0.2) where TException : Exception =>
            Assert.Throws<TException>(() =>
            {
                using var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o => { o.Loss = loss; o.ValidationFraction = validationFraction; })).Fit(data);
            });

        StringAssert.Contains(Fails<ArgumentException>(new L2tDlfLossOptions { UnrollSteps = 0 }).Message, "UnrollSteps");
        StringAssert.Contains(Fails<ArgumentException>(new L2tDlfLossOptions { UnrollSteps = -3 }).Message, "UnrollSteps");
        StringAssert.Contains(Fails<ArgumentException>(new L2tDlfLossOptions { TeacherLearningRate = 0 }).Message, "TeacherLearningRate");
        StringAssert.Contains(Fails<ArgumentException>(new L2tDlfLossOptions { StudentStepsPerTeacherUpdate = 0 }).Message, "StudentStepsPerTeacherUpdate");
        StringAssert.Contains(Fails<ArgumentException>(new L2tDlfLossOptions { CostMatrix = new float[2, 2] }).Message, "CostMatrix");
        StringAssert.Contains(Fails<ArgumentException>(new L2tDlfLossOptions { CostMatrix = new float[,] { { 0, 1, -1 }, { 1, 0, 1 }, { 1, 1, 0 } } }).Message, "CostMatrix");

        var memory = Fails<ArgumentException>(new L2tDlfLossOptions { UnrollSteps = 5000, MaxUnrollMegabytes = 1 });
        StringAssert.Contains(memory.Message, "UnrollSteps");
        StringAssert.Contains(memory.Message, "MaxUnrollMegabytes");

        var noValidation = Fails<ArgumentException>(new L2tDlfLossOptions(), validationFraction: 0);
        StringAssert.Contains(noValidation.Message, "ValidationFraction");

        using var wrongClasses = new L2tDlfTeacherModel(5, 4);
        StringAssert.Contains(Fails<ArgumentException>(new L2tDlfLossOptions { PretrainedTeacher = wrongClasses }).Message, "PretrainedTeacher");

        StringAssert.Contains(Fails<ArgumentException>(new L2tDlfLossOptions { TeacherEpisodes = -1 }).Message, "TeacherEpisodes");
        StringAssert.Contains(Fails<ArgumentException>(new L2tDlfLossOptions { TeacherEpisodes = 1, EpisodeEpochs = 0 }).Message, "EpisodeEpochs");
        StringAssert.Contains(Fails<ArgumentException>(new L2tDlfLossOptions { LearnDuringFinalStudent = false }).Message, "never learn");
        StringAssert.Contains(Fails<ArgumentException>(new L2tDlfLossOptions { InitialPhi = new float[2, 2] }).Message, "InitialPhi");
        var negative = new float[TestData.Classes, TestData.Classes];
        for (int i = 0; i < TestData.Classes; i++) negative[i, i] = 1;
        negative[0, 1] = -0.1f;
        StringAssert.Contains(Fails<ArgumentException>(new L2tDlfLossOptions { InitialPhi = negative }).Message, "InitialPhi");
        StringAssert.Contains(Fails<ArgumentException>(new L2tDlfLossOptions { InitialOffDiagonal = -0.01 }).Message, "InitialOffDiagonal");
    }

    [TestMethod]
    public void TeacherEpisodesTrainFreshStudentsBeforeTheFinalOne()
    {
        var ml = new MLContext(seed: 1);
        var log = new List<string>();
        ml.Log += (_, e) => { if (e.Message.Contains("L2T-DLF")) lock (log) log.Add(e.Message); };
        var reports = new List<L2tDlfEpochReport>();
        var loss = FastLoss();
        loss.TeacherEpisodes = 2;
        loss.EpisodeEpochs = 2;
        loss.LearnDuringFinalStudent = false;
        loss.EpochCompleted += reports.Add;
        using var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o => { o.Loss = loss; o.ValidationFraction = 0.2; o.NumberOfEpochs = 3; }))
            .Fit(TestData.Clusters(ml));

        CollectionAssert.AreEqual(new[] { 0, 0, 1, 1, 2, 2, 2 }, reports.Select(r => r.Episode).ToArray());
        CollectionAssert.AreEqual(new[] { false, false, false, false, true, true, true }, reports.Select(r => r.IsFinal).ToArray());
        int learned = reports[3].TeacherUpdates;
        Assert.IsGreaterThan(reports[1].TeacherUpdates, learned, "the second episode should keep training the teacher");
        Assert.IsTrue(reports.Where(r => r.IsFinal).All(r => r.TeacherUpdates == learned), "the teacher is frozen for the final student");
        Assert.AreEqual(learned, model.GetLearnedLoss<L2tDlfTeacherModel>()!.TeacherUpdates);
        lock (log)
        {
            Assert.IsTrue(log.Any(l => l.Contains("teacher episode 1 of 2 done") && l.Contains("dev error")), string.Join("\n", log));
            Assert.IsTrue(log.Any(l => l.Contains("final student done")), string.Join("\n", log));
        }
    }

    [TestMethod]
    public void PhiKeepsTheSignsOfPhi0AndFixedScaleKeepsItsMeans()
    {
        const int c = 4;
        var phi0 = new double[c, c];
        for (int i = 0; i < c; i++)
            for (int j = 0; j < c; j++)
                phi0[i, j] = i == j ? 1 : 0.05;
        foreach (bool fixedScale in new[] { false, true })
        {
            using var teacher = new L2tDlfTeacherModel(c, 8, initialBias: 2, initialPhi: phi0, fixedScale: fixedScale);
            manual_seed(5);
            using (no_grad())
                foreach (var p in teacher.Parameters()) p.copy_(randn_like(p));   // a far-from-trained theta
            var rng = new Random(3);
            for (int trial = 0; trial < 5; trial++)
            {
                var (phi, bias) = teacher.Evaluate(Enumerable.Range(0, teacher.StateSize).Select(_ => rng.NextDouble() * 2 - 1).ToArray());
                double logDiagonal = 0, logOffDiagonal = 0;
                for (int i = 0; i < c; i++)
                    for (int j = 0; j < c; j++)
                    {
                        Assert.IsGreaterThan(0.0, phi[i, j], $"Phi[{i},{j}] changed sign");
                        if (i == j) logDiagonal += Math.Log(phi[i, j] / phi0[i, j]);
                        else logOffDiagonal += Math.Log(phi[i, j] / phi0[i, j]);
                    }
                if (fixedScale)
                {
                    Assert.AreEqual(0, logDiagonal / c, 1e-4, "geometric mean of the diagonal ratio");
                    Assert.AreEqual(0, logOffDiagonal / (c * (c - 1)), 1e-4, "geometric mean of the off-diagonal ratio");
                    Assert.AreEqual(2, bias, 1e-6);
                }
                else
                {
                    Assert.IsGreaterThan(1e-3, Math.Abs(logDiagonal) + Math.Abs(bias - 2), "a free teacher moves the scale");
                }
            }
        }
    }
}
