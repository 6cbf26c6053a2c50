using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Tests.Datasets;

[TestClass]
public sealed class TeacherNetworkDataTests
{
    private static (float[] Labels, float[][] Features) Read(IDataView data)
    {
        var ml = new MLContext(0);
        var rows = ml.Data.CreateEnumerable<Row>(data, reuseRowObject: false).ToList();
        return (rows.Select(r => r.Label).ToArray(), rows.Select(r => r.Features).ToArray());
    }

    private sealed class Row
    {
        public float Label { get; set; }

        [VectorType(12)]
        public float[] Features { get; set; } = [];
    }

    [TestMethod]
    public void TheSameSeedGivesTheSameRowsAndAnotherSeedOtherLabels()
    {
        var ml = new MLContext(0);
        var a = Read(SyntheticData.TeacherNetwork(ml, 500, 12, 4, seed: 3));
        var b = Read(SyntheticData.TeacherNetwork(ml, 500, 12, 4, seed: 3));
        var c = Read(SyntheticData.TeacherNetwork(ml, 500, 12, 4, seed: 4));
        CollectionAssert.AreEqual(a.Labels, b.Labels);
        CollectionAssert.AreEqual(a.Features[123], b.Features[123]);
        Assert.IsTrue(a.Labels.Zip(c.Labels).Count(p => p.First != p.Second) > 100);
    }

    [TestMethod]
    public void BandsAreAboutEquallyFrequent()
    {
        var labels = Read(SyntheticData.TeacherNetwork(new MLContext(0), 8000, 12, 4, seed: 7)).Labels;
        for (int c = 0; c < 4; c++)
        {
            double share = labels.Count(l => l == c) / 8000.0;
            Assert.AreEqual(0.25, share, 0.03, $"class {c}");
        }
        Assert.IsTrue(labels.All(l => l is >= 0 and <= 3));
    }

    [TestMethod]
    public void ALinearModelCannotSeparateTheBands()
    {
        var ml = new MLContext(0);
        var data = SyntheticData.TeacherNetwork(ml, 6000, 12, 4, seed: 7);
        var split = ml.Data.TrainTestSplit(data, 0.25, seed: 1);
        var model = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(maximumNumberOfIterations: 20)).Fit(split.TrainSet);
        double accuracy = ml.MulticlassClassification.Evaluate(model.Transform(split.TestSet)).MicroAccuracy;
        Assert.IsTrue(accuracy < 0.7, $"linear accuracy {accuracy:F3}");
    }

    [TestMethod]
    public void BadArgumentsAreRefusedByName()
    {
        var ml = new MLContext(0);
        Assert.AreEqual("classes", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => SyntheticData.TeacherNetwork(ml, 10, 4, 1, 0)).ParamName);
        Assert.AreEqual("gain", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => SyntheticData.TeacherNetwork(ml, 10, 4, 2, 0, gain: 0)).ParamName);
        Assert.AreEqual("hiddenUnits", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => SyntheticData.TeacherNetwork(ml, 10, 4, 2, 0, hiddenUnits: 0)).ParamName);
    }
}
