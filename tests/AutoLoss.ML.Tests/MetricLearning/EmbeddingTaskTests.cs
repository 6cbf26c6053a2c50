using AutoLoss.Core.Data;
using AutoLoss.Core.Metrics.Retrieval;
using AutoLoss.Core.Training;
using static TorchSharp.torch;

namespace AutoLoss.ML.Tests.MetricLearning;

[TestClass]
public sealed class EmbeddingTaskTests
{
    [TestMethod]
    public void RecallAtKAndMapAtRMatchAHandComputedRanking()
    {
        using var scope = NewDisposeScope();
        // Nearest neighbours by cosine; labels 0,0,1,0,1,1. Worked out by hand: rows 0,1,4,5 find their label first,
        // rows 2 and 3 do not; R = 2 for every row and the first of the two is relevant for rows 0,1,4,5 only.
        var x = tensor(new float[] { 1, 0, 0.99f, 0.1f, 0.9f, 0.4f, 0.5f, 0.8f, 0, 1, 0.2f, 0.95f }, [6, 2]).mul(3);
        var y = tensor(new long[] { 0, 0, 1, 0, 1, 1 });
        var recall = RetrievalRanking.RecallAtK(x, y, [1, 5]);
        Assert.AreEqual(4.0 / 6, recall[0], 1e-9);
        Assert.AreEqual(1.0, recall[1], 1e-9);
        Assert.AreEqual(1.0 / 3, RetrievalRanking.MeanAveragePrecisionAtR(x, y), 1e-9);
    }

    [TestMethod]
    public void FewShotQueriesTakeTheLabelOfTheirNearestReference()
    {
        using var scope = NewDisposeScope();
        var references = tensor(new float[] { 1, 0, 0, 1, -1, 0 }, [3, 2]);
        var labels = tensor(new long[] { 7, 8, 9 });
        var queries = tensor(new float[] { 5, 0.5f, 0.1f, 3, -2, -0.5f, 0.6f, 0.5f }, [4, 2]);
        CollectionAssert.AreEqual(new long[] { 7, 8, 9, 7 }, RetrievalRanking.NearestReferenceLabels(queries, references, labels).data<long>().ToArray());
        Assert.ThrowsExactly<ArgumentException>(() => RetrievalRanking.NearestReferenceLabels(tensor(new float[3], [1, 3]), references, labels));
    }

    [TestMethod]
    public void TripletAndMarginLossesAreZeroForSeparatedClassesAndPositiveForMixedOnes()
    {
        using var scope = NewDisposeScope();
        var labels = tensor(new long[] { 0, 0, 1, 1 });
        // Classes on orthogonal axes: positives at distance ~0, negatives at sqrt(2).
        var separated = tensor(new float[] { 1, 0, 1, 0.001f, 0, 1, 0.001f, 1 }, [4, 2]);
        var mixed = tensor(new float[] { 1, 0, 0, 1, 1, 0.001f, 0.001f, 1 }, [4, 2]);
        foreach (IPerExampleLoss loss in new IPerExampleLoss[] { new TripletLoss(0.2), new MarginLoss() })
        {
            Assert.AreEqual(0, loss.Compute(separated, labels).sum().item<float>(), 1e-5, loss.Name);
            Assert.IsTrue(loss.Compute(mixed, labels).sum().item<float>() > 0.5, loss.Name);
        }
    }

    [TestMethod]
    public void EmbeddingLossesRefuseClassificationTasksAndClassificationLossesRefuseEmbeddingTasks()
    {
        Assert.ThrowsExactly<ArgumentException>(() => new TripletLoss().Validate(TrainingTask.Multiclass(3), "Loss"));
        Assert.ThrowsExactly<ArgumentException>(() => new MarginLoss().Validate(TrainingTask.Binary, "Loss"));
        Assert.ThrowsExactly<ArgumentException>(() => CrossEntropyLoss.Instance.Validate(new EmbeddingTask(8), "Loss"));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new EmbeddingTask(1));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new MarginLoss(beta: 2));
    }

    /// <summary>8 clusters that differ in 4 of 16 features (the other 12 are loud noise, so raw distances retrieve
    /// poorly); the student learns an embedding on classes 0-3 and is scored by retrieval among rows of classes 4-7, which
    /// it never saw: only an embedding that learned which features matter transfers.</summary>
    [TestMethod]
    public void AnEmbeddingLearnedOnSomeClassesRetrievesUnseenClassesBetterThanAnUntrainedOne()
    {
        TorchRuntime.EnsureLoaded();
        var (seenX, seenY, unseenX, unseenY) = Clusters();
        using var train = new InMemoryDataset(seenX, seenY, null, 16, CPU);
        using var unseen = new InMemoryDataset(unseenX, unseenY, null, 16, CPU);
        foreach (var loss in new Func<IPerExampleLoss>[] { () => new MarginLoss(), () => new TripletLoss() })
        {
            double Recall(int epochs)
            {
                var outcome = StudentTrainer.Train(new TrainingProblem
                {
                    Student = new MlpSpec { HiddenSizes = [32] }, Task = new EmbeddingTask(8), Train = train, Validation = unseen,
                    Loss = LossOptions.PerExample(loss),
                }, new TrainingSettings { NumberOfEpochs = epochs, BatchSize = 64, LearningRate = 0.05, Device = ComputeDevice.Cpu, Seed = 4 });
                using var student = outcome.Student;
                return outcome.History[^1].ValidationMetric(MetricNames.RecallAt1)!.Value;
            }
            double before = Recall(1), after = Recall(15);
            Assert.IsTrue(after > before + 0.1 && after > 0.7, $"{loss().Name}: Recall@1 on unseen classes {before:F3} -> {after:F3}");
        }
    }

    internal static (float[] SeenX, long[] SeenY, float[] UnseenX, long[] UnseenY) Clusters()
    {
        var random = new Random(3);
        var centres = Enumerable.Range(0, 8).Select(_ => Enumerable.Range(0, 16).Select(j => j < 4 ? (float)(random.NextDouble() * 6 - 3) : 0f).ToArray()).ToArray();
        (float[], long[]) Rows(int from, int count)
        {
            var x = new float[count * 16];
            var y = new long[count];
            for (int i = 0; i < count; i++)
            {
                int c = from + i % 4;
                y[i] = c;
                for (int j = 0; j < 16; j++) x[i * 16 + j] = centres[c][j] + (float)(random.NextDouble() * 2 - 1) * (j < 4 ? 0.5f : 3f);
            }
            return (x, y);
        }
        var (sx, sy) = Rows(0, 400);
        var (ux, uy) = Rows(4, 400);
        return (sx, sy, ux, uy);
    }
}
