using AutoLoss.Core.Data;
using AutoLoss.Core.Training;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace AutoLoss.ML.Tests.Sparse;

[TestClass]
public sealed class SparseInputTests
{
    private sealed class Row
    {
        public bool Label { get; set; }
        public string A { get; set; } = "";
        public string B { get; set; } = "";
        public string C { get; set; } = "";
    }

    /// <summary>Three categorical fields; the label says whether field A's category is one of the first five.</summary>
    private static IDataView Categories(MLContext ml, int rows, int seed)
    {
        var random = new Random(seed);
        return ml.Data.LoadFromEnumerable(Enumerable.Range(0, rows).Select(_ =>
        {
            int a = random.Next(10);
            return new Row { Label = a < 5, A = "a" + a, B = "b" + random.Next(50), C = "c" + random.Next(7) };
        }).ToList());
    }

    /// <summary>One-hot-hashed fields: a sparse vector of 3 x 2^16 slots with 3 non-zero values per row.</summary>
    private static ITransformer Hashing(MLContext ml, IDataView data) =>
        ml.Transforms.Categorical.OneHotHashEncoding([new("A"), new("B"), new("C")], numberOfBits: 16)
            .Append(ml.Transforms.Concatenate("Features", "A", "B", "C")).Fit(data);

    private static AdaptiveLossBinaryTrainer.Options Options(DataCaching caching = DataCaching.Auto) =>
        TestData.Fast<AdaptiveLossBinaryTrainer.Options>(5, o =>
        {
            o.Student = new SparseInputSpec { EmbeddingSize = 8, Body = new MlpSpec { HiddenSizes = [8] } };
            o.Caching = caching;
        });

    [TestMethod]
    public void ASparseInputStudentLearnsFromHashedOneHotFieldsCachedOrStreamed()
    {
        var ml = new MLContext(seed: 1);
        var train = Categories(ml, 1500, 1);
        var hashing = Hashing(ml, train);
        var test = hashing.Transform(Categories(ml, 500, 2));
        foreach (var caching in new[] { DataCaching.InMemory, DataCaching.Streaming })
        {
            using var model = ml.BinaryClassification.Trainers.AdaptiveLoss(Options(caching)).Fit(hashing.Transform(train));
            var spec = (SparseInputSpec)model.Student;
            Assert.AreEqual(3 * 65536, spec.Slots);
            Assert.AreEqual(3, spec.MaxNonZero);
            Assert.AreEqual(3 * 65536, model.FeatureCount);
            var metrics = ml.BinaryClassification.Evaluate(model.Transform(test));
            Assert.IsTrue(metrics.Accuracy > 0.95, $"{caching}: accuracy {metrics.Accuracy:F3}");
        }
    }

    [TestMethod]
    public void ASavedSparseModelScoresTheSameAndRefusesARowWithMoreNonZeroValuesThanItTook()
    {
        var ml = new MLContext(seed: 1);
        var train = Categories(ml, 400, 1);
        var hashing = Hashing(ml, train);
        var data = hashing.Transform(train);
        using var model = ml.BinaryClassification.Trainers.AdaptiveLoss(Options()).Fit(data);
        TestData.AssertScoresSurviveSaveAndLoad(ml, model, data);
        // A row with a fourth non-zero value: the hashed fields concatenated with themselves would change the length, so
        // write the vector directly.
        var busy = new VBuffer<float>(3 * 65536, 4, [1, 1, 1, 1], [1, 70_000, 140_000, 150_000]);
        var view = ml.Data.LoadFromEnumerable([new VectorRow { Features = busy }], VectorRow.Schema(3 * 65536));
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => model.Transform(view).GetColumn<float>("Score").ToArray());
        StringAssert.Contains(e.Message, "MaxNonZero");
    }

    private sealed class VectorRow
    {
        public VBuffer<float> Features { get; set; }

        public static SchemaDefinition Schema(int size)
        {
            var schema = SchemaDefinition.Create(typeof(VectorRow));
            schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
            return schema;
        }
    }

    [TestMethod]
    public void TheEmbeddingBagIgnoresPairOrderPaddingAndOutOfRangeSlots()
    {
        TorchRuntime.EnsureLoaded();
        random.manual_seed(3);
        var spec = new SparseInputSpec { EmbeddingSize = 4, Body = new MlpSpec { HiddenSizes = [] } }.Resolved(10, 4);
        using var module = spec.Build(8, 2);
        module.eval();
        using var scope = NewDisposeScope();
        float[] Encode(int[] slots, float[] values)
        {
            var row = new float[8];
            Assert.IsTrue(SparseRowEncoding.TryEncode(slots, values, row));
            return row;
        }
        var rows = new[]
        {
            Encode([2, 7], [1.5f, -1]),
            Encode([7, 2], [-1, 1.5f]),
            Encode([7, 2, 3], [-1, 1.5f, 0]),   // a zero value is not a pair
            Encode([7, 2, 12], [-1, 1.5f, 4]), // slot 12 is outside the 10 slots
        };
        var output = module.call(tensor(rows.SelectMany(r => r).ToArray(), [4, 8]));
        for (int i = 1; i < 4; i++)
            Assert.IsTrue(output[0].allclose(output[i], 1e-6, 1e-6), $"row {i}");
        Assert.IsFalse(SparseRowEncoding.TryEncode([1, 2, 3, 4, 5], [1, 1, 1, 1, 1], new float[8]));
    }

    [TestMethod]
    public void BadSparseSettingsAreRefusedNamingTheOption()
    {
        var ml = new MLContext(seed: 1);
        var train = Categories(ml, 50, 1);
        var data = Hashing(ml, train).Transform(train);
        var options = Options();
        ((SparseInputSpec)options.Student).Slots = 1000;
        var e = Assert.ThrowsExactly<ArgumentException>(() => ml.BinaryClassification.Trainers.AdaptiveLoss(options).Fit(data));
        StringAssert.Contains(e.Message, "Slots");
        Assert.ThrowsExactly<ArgumentException>(() => new SparseInputSpec { Body = new SparseInputSpec() }.Validate("Student"));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new SparseInputSpec { EmbeddingSize = 0 }.Validate("Student"));
    }

    [TestMethod]
    public void ASparseInputStudentTrainsWithTheLearnedLossMixer()
    {
        var ml = new MLContext(seed: 1);
        var train = Categories(ml, 600, 1);
        var data = Hashing(ml, train).Transform(train);
        var options = Options();
        options.Loss = new LossMixingOptions { DevBatchSize = 64 };
        options.ValidationFraction = 0.2;
        using var model = ml.BinaryClassification.Trainers.AdaptiveLoss(options).Fit(data);
        Assert.IsTrue(model.GetLearnedLoss<LossMixerController>()!.Updates > 0);
        Assert.IsTrue(ml.BinaryClassification.Evaluate(model.Transform(data)).Accuracy > 0.9);
    }
}
