using AutoLoss.Core.Data;
using AutoLoss.Core.Metrics.Retrieval;
using AutoLoss.Core.Training;
using static TorchSharp.torch;

namespace AutoLoss.ML.Tests.MetricLearning;

[TestClass]
public sealed class AlaEmbeddingTests
{
    [TestMethod]
    public void TheDistanceMixtureAtPhi0IsExactlyTheMarginLoss()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(5);
        var x = randn(24, 6);
        var y = tensor(Enumerable.Range(0, 24).Select(i => (long)(i % 4)).ToArray());
        var family = new AlaDistanceMixture();
        manual_seed(9);
        var margin = new MarginLoss().Compute(x, y);
        manual_seed(9);
        var mixture = family.Compute(x, y, family.InitialPhi());
        Assert.AreEqual(0, margin.sub(mixture).abs().max().item<float>(), 1e-6);
        Assert.IsTrue(margin.sum().item<float>() > 0);

        // Weight 0 on every negative bin leaves only the positive pairs' terms; 2 on every bin doubles the loss.
        var phi = family.InitialPhi();
        for (int k = family.Bins; k < family.Size; k++) phi[k] = 0;
        manual_seed(9);
        var positivesOnly = family.Compute(x, y, phi).sum().item<float>();
        manual_seed(9);
        var doubled = family.Compute(x, y, Enumerable.Repeat(2.0, family.Size).ToArray()).sum().item<float>();
        Assert.IsTrue(positivesOnly < margin.sum().item<float>());
        Assert.AreEqual(2 * margin.sum().item<float>(), doubled, 1e-4);
    }

    [TestMethod]
    public void FocalWeightingMatchesItsFormulaOnAHandWorkedBatch()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        // Unit vectors at angles 0, 60 and 180 degrees: d(0,1) = 1, d(0,2) = 2, d(1,2) = sqrt(3). Rows 0 and 1 share a label.
        var x = tensor(new float[] { 1, 0, 0.5f, (float)Math.Sqrt(0.75), -1, 0 }, [3, 2]);
        var y = tensor(new long[] { 0, 0, 1 });
        var family = new AlaFocalWeighting(alpha: 1.2, positiveSharpness: 2, negativeSharpness: 4);
        var loss = family.Compute(x, y, family.InitialPhi()).data<float>().ToArray();
        static double Term(double sharpness, IEnumerable<double> z) => Math.Log(1 + z.Sum(v => Math.Exp(sharpness * v))) / sharpness;
        double[] expected =
        [
            Term(2, [1 - 1.2]) + Term(4, [-(2 - 1.2)]),
            Term(2, [1 - 1.2]) + Term(4, [-(Math.Sqrt(3) - 1.2)]),
            0 + Term(4, [-(2 - 1.2), -(Math.Sqrt(3) - 1.2)]),
        ];
        for (int i = 0; i < 3; i++) Assert.AreEqual(expected[i], loss[i], 1e-4, $"row {i}");
    }

    [TestMethod]
    public void ValidationStatisticsShareThePairsOutByDistance()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        // The same three points: positive pair at d = 1 (bin 2 of 4), negatives at 2 (bin 3) and sqrt(3) (bin 3).
        var x = tensor(new float[] { 1, 0, 0.5f, (float)Math.Sqrt(0.75), -1, 0 }, [3, 2]);
        var y = tensor(new long[] { 0, 0, 1 });
        var stats = EmbeddingValidationStatistics.Of(x, y, RetrievalMetric.RecallAt1, bins: 4);
        CollectionAssert.AreEqual(new double[] { 0, 0, 1, 0 }, stats.PositiveShare.ToArray());
        CollectionAssert.AreEqual(new double[] { 0, 0, 0, 1 }, stats.NegativeShare.ToArray());
        Assert.AreEqual(1, stats.MeanPositiveDistance, 1e-5);
        Assert.AreEqual((2 + Math.Sqrt(3)) / 2, stats.MeanNegativeDistance, 1e-5);
        Assert.AreEqual(2.0 / 3, stats.Metric, 1e-9);   // rows 0 and 1 find each other; row 2 has no positive
    }

    [TestMethod]
    public void AlaOnAnEmbeddingLossMovesPhiLearnsAPolicyAndStillLearnsToRetrieveUnseenClasses()
    {
        TorchRuntime.EnsureLoaded();
        var (seenX, seenY, unseenX, unseenY) = EmbeddingTaskTests.Clusters();
        using var train = new InMemoryDataset(seenX[..(300 * 16)], seenY[..300], null, 16, CPU);
        using var validation = new InMemoryDataset(seenX[(300 * 16)..], seenY[300..], null, 16, CPU);
        using var unseen = new InMemoryDataset(unseenX, unseenY, null, 16, CPU);
        foreach (AlaEmbeddingLossFamily family in new AlaEmbeddingLossFamily[] { new AlaDistanceMixture(bins: 4), new AlaFocalWeighting() })
        {
            var reports = new List<AlaEmbeddingActionReport>();
            var options = new AlaEmbeddingLossOptions { Family = family, StepsPerAction = 5, ValidationChecksPerAction = 2, Beta = 0.2, InitialKeepProbability = 0.34 };
            options.ActionCompleted += reports.Add;
            var outcome = StudentTrainer.Train(new TrainingProblem
            {
                Student = new MlpSpec { HiddenSizes = [32] }, Task = new EmbeddingTask(8), Train = train, Validation = validation, Loss = options,
            }, new TrainingSettings { NumberOfEpochs = 12, BatchSize = 64, LearningRate = 0.05, Device = ComputeDevice.Cpu, Seed = 4 });
            using var student = outcome.Student;
            using var policy = (AlaPolicyModel)outcome.LearnedLoss!;
            Assert.IsTrue(reports.Count >= 8, $"{family.Name}: {reports.Count} decisions");
            Assert.IsTrue(reports[^1].Phi.Zip(family.InitialPhi()).Any(p => Math.Abs(p.First - p.Second) > 0.1), $"{family.Name}: Phi never moved");
            Assert.AreEqual(AlaPolicyKind.ElementShared, policy.Kind);
            Assert.IsTrue(policy.Updates > 0);
            student.eval();
            using (no_grad())
            using (var scope = NewDisposeScope())
            {
                var recall = RetrievalRanking.RecallAtK(student.call(unseen.Features), unseen.Labels, [1])[0];
                Assert.IsTrue(recall > 0.7, $"{family.Name}: unseen Recall@1 {recall:F3}");
            }

            // The policy is an artefact: saved, loaded, and reused frozen on another run.
            using var stream = new MemoryStream();
            policy.Save(stream);
            stream.Position = 0;
            using var loaded = AlaPolicyModel.Load(stream);
            var frozen = new AlaEmbeddingLossOptions { Family = family, StepsPerAction = 5, ValidationChecksPerAction = 2, PretrainedPolicy = loaded, Children = 1 };
            var again = StudentTrainer.Train(new TrainingProblem
            {
                Student = new MlpSpec { HiddenSizes = [32] }, Task = new EmbeddingTask(8), Train = train, Validation = validation, Loss = frozen,
            }, new TrainingSettings { NumberOfEpochs = 2, BatchSize = 64, LearningRate = 0.05, Device = ComputeDevice.Cpu, Seed = 5 });
            again.Student.Dispose();
            Assert.IsNull(again.LearnedLoss, "a frozen policy learns nothing to hand back");
        }
    }

    [TestMethod]
    public void AlaOptionsRefuseTheWrongTaskPolicyOrSettingsBeforeTraining()
    {
        var embedding = new EmbeddingTask(8);
        Assert.ThrowsExactly<ArgumentException>(() => new AlaEmbeddingLossOptions().Validate(TrainingTask.Multiclass(3), "Loss"));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new AlaEmbeddingLossOptions { Beta = 0 }.Validate(embedding, "Loss"));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new AlaEmbeddingLossOptions { StepsPerAction = 0 }.Validate(embedding, "Loss"));
        Assert.ThrowsExactly<ArgumentNullException>(() => new AlaEmbeddingLossOptions { Family = null! }.Validate(embedding, "Loss"));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new AlaLossOptions { Policy = AlaPolicyKind.ElementShared }.Validate(TrainingTask.Multiclass(3), "Loss"));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new AlaDistanceMixture(bins: 0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new AlaFocalWeighting(alpha: 2));
        TorchRuntime.EnsureLoaded();
        using var classificationPolicy = new AlaPolicyModel(AlaPolicyKind.PairShared, 3, 8);
        Assert.ThrowsExactly<ArgumentException>(() => new AlaEmbeddingLossOptions { PretrainedPolicy = classificationPolicy }.Validate(embedding, "Loss"));
        using var embeddingPolicy = new AlaPolicyModel(AlaPolicyKind.ElementShared, 16, 8);
        Assert.ThrowsExactly<ArgumentException>(() => new AlaLossOptions { PretrainedPolicy = embeddingPolicy }.Validate(TrainingTask.Multiclass(3), "Loss"));
    }

    [TestMethod]
    public void TheMarginLossLearnsItsBoundaryWhileTheStudentLearnsToRetrieveUnseenClasses()
    {
        TorchRuntime.EnsureLoaded();
        var (seenX, seenY, unseenX, unseenY) = EmbeddingTaskTests.Clusters();
        using var train = new InMemoryDataset(seenX, seenY, null, 16, CPU);
        using var unseen = new InMemoryDataset(unseenX, unseenY, null, 16, CPU);
        var boundaries = new List<double>();
        var options = new MarginLossOptions { BoundaryLearningRate = 0.05 };
        options.BoundaryChanged += (_, beta) => boundaries.Add(beta);
        var outcome = StudentTrainer.Train(new TrainingProblem
        {
            Student = new MlpSpec { HiddenSizes = [32] }, Task = new EmbeddingTask(8), Train = train, Validation = unseen, Loss = options,
        }, new TrainingSettings { NumberOfEpochs = 15, BatchSize = 64, LearningRate = 0.05, Device = ComputeDevice.Cpu, Seed = 4 });
        outcome.Student.Dispose();
        Console.WriteLine($"beta by epoch: {string.Join(", ", boundaries.Select(b => b.ToString("F3")))}");
        Assert.HasCount(15, boundaries);
        Assert.IsTrue(Math.Abs(boundaries[^1] - 1.2) > 0.02, $"beta stayed at {boundaries[^1]:F4}");
        Assert.IsTrue(outcome.History[^1].ValidationMetric(MetricNames.RecallAt1) > 0.7);

        // With a zero learning rate the boundary stays where it started...
        var fixedBoundaries = new List<double>();
        var frozen = new MarginLossOptions { BoundaryLearningRate = 0 };
        frozen.BoundaryChanged += (_, beta) => fixedBoundaries.Add(beta);
        StudentTrainer.Train(new TrainingProblem
        {
            Student = new MlpSpec { HiddenSizes = [32] }, Task = new EmbeddingTask(8), Train = train, Loss = frozen,
        }, new TrainingSettings { NumberOfEpochs = 3, BatchSize = 64, LearningRate = 0.05, Device = ComputeDevice.Cpu, Seed = 4 }).Student.Dispose();
        CollectionAssert.AreEqual(new[] { 1.2, 1.2, 1.2 }, fixedBoundaries.Select(b => Math.Round(b, 6)).ToArray());

        // ...and a tensor beta gives the fixed margin loss's terms.
        using var scope = NewDisposeScope();
        var x = randn(16, 4);
        var y = tensor(Enumerable.Range(0, 16).Select(i => (long)(i % 4)).ToArray());
        var margin = new MarginLoss();
        manual_seed(3);
        var fixedTerms = margin.PairLosses(x, y);
        manual_seed(3);
        var tensorTerms = margin.PairLosses(x, y, boundary: tensor(1.2f));
        Assert.AreEqual(0, fixedTerms.Positive.sub(tensorTerms.Positive).abs().max().item<float>(), 1e-6);
        Assert.AreEqual(0, fixedTerms.Negative.sub(tensorTerms.Negative).abs().max().item<float>(), 1e-6);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new MarginLossOptions { InitialBoundary = 2 }.Validate(new EmbeddingTask(8), "Loss"));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new MarginLossOptions { InitialBoundary = 0.1 }.Validate(new EmbeddingTask(8), "Loss"));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new MarginLossOptions { Alpha = 1 }.Validate(new EmbeddingTask(8), "Loss"));
        Assert.ThrowsExactly<ArgumentException>(() => new MarginLossOptions().Validate(TrainingTask.Multiclass(3), "Loss"));
    }
}
