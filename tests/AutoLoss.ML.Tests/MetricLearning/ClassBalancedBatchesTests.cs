using AutoLoss.Core.Data;
using AutoLoss.Core.Training;
using static TorchSharp.torch;

namespace AutoLoss.ML.Tests.MetricLearning;

[TestClass]
public sealed class ClassBalancedBatchesTests
{
    [TestMethod]
    public void EveryBatchHoldsKRowsOfEachOfPLabelsAndTheSameSeedGivesTheSameBatches()
    {
        TorchRuntime.EnsureLoaded();
        // 6 labels with 5 to 30 rows each; the feature of a row is its index, so batches can be read back.
        var labels = Enumerable.Range(0, 6).SelectMany(c => Enumerable.Repeat((long)c, 5 + 5 * c)).ToArray();
        using var data = new InMemoryDataset(Enumerable.Range(0, labels.Length).Select(i => (float)i).ToArray(), labels, null, 1, CPU);
        var source = new ClassBalancedBatches(data, labelsPerBatch: 3, rowsPerLabel: 4);
        List<long[]> Epoch(int seed) => source.ReadEpoch(0, 12, seed).Select(b =>
        {
            using var scope = NewDisposeScope();
            var t = b.ToTensors(CPU);
            var y = t.Labels.data<long>().ToArray();
            var rows = t.Features.to_type(ScalarType.Int64).data<long>().ToArray();
            Assert.AreEqual(12, y.Length);
            Assert.IsTrue(y.GroupBy(l => l).All(g => g.Count() == 4) && y.Distinct().Count() == 3, string.Join(",", y));
            CollectionAssert.AreEqual(rows.Select(r => labels[r]).ToArray(), y);
            return rows;
        }).ToList();
        var first = Epoch(7);
        Assert.AreEqual(labels.Length / 12, first.Count);
        CollectionAssert.AreEqual(first.SelectMany(r => r).ToArray(), Epoch(7).SelectMany(r => r).ToArray());
        CollectionAssert.AreNotEqual(first.SelectMany(r => r).ToArray(), Epoch(8).SelectMany(r => r).ToArray());
        Assert.ThrowsExactly<ArgumentException>(() => new ClassBalancedBatches(data, labelsPerBatch: 7, rowsPerLabel: 2));
    }
}
