using AutoLoss.Core.Students;
using AutoLoss.ML.Trainers;
using Microsoft.ML;

namespace AutoLoss.ML.Tests;

/// <summary>The same seed trains the same student, bit for bit, however the managed arrays holding the rows happen
/// to be aligned in memory (CPU matrix kernels round differently at different alignments).</summary>
[TestClass]
public sealed class ReproducibilityTests
{
    private static void AssertBitIdenticalRuns(Func<MLContext, IDataView> data, Func<AdaptiveLossRegressionTrainer.Options> options)
    {
        var heapShift = new List<byte[]>();
        List<float[]>? first = null;
        for (int run = 0; run < 3; run++)
        {
            heapShift.Add(new byte[4 * run + 3]);   // moves the next arrays to other alignments
            var ml = new MLContext(seed: 1);
            var rows = data(ml);
            using var model = ml.Regression.Trainers.AdaptiveLoss(options()).Fit(rows);
            var scores = TestData.Scores(model.Transform(rows));
            first ??= scores;
            for (int i = 0; i < scores.Count; i++)
                CollectionAssert.AreEqual(first[i], scores[i], $"run {run + 1}, row {i}");
        }
    }

    [TestMethod]
    public void StreamingTrainingGivesBitIdenticalStudentsRunAfterRun() =>
        AssertBitIdenticalRuns(ml => TestData.Linear(ml), () => TestData.FastRegressionOptions(o =>
        {
            o.Caching = DataCaching.Streaming;
            o.ShufflePoolSize = 50;
            o.Student = new MlpSpec { HiddenSizes = [] };
        }));
}
