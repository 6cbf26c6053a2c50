using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Tests.Datasets;

[TestClass]
public sealed class ClickDataTests
{
    private static readonly ClickProcess Process = new(Seed: 11);

    private static bool[] Labels(IDataView data) => data.GetColumn<bool>(ClickData.LabelColumn).ToArray();

    private static string[] Values(IDataView data, string field) => data.GetColumn<ReadOnlyMemory<char>>(field).Select(v => v.ToString()).ToArray();

    private static double Share(IEnumerable<bool> flags) => flags.Average(f => f ? 1.0 : 0.0);

    [TestMethod]
    public void TheSameSeedsGiveTheSameRowsAndAnotherRowSeedOtherRowsOfTheProcess()
    {
        var ml = new MLContext(0);
        var a = ClickData.Generate(ml, Process, 2000, rowSeed: 1);
        var b = ClickData.Generate(ml, new ClickProcess(Seed: 11), 2000, rowSeed: 1);
        var c = ClickData.Generate(ml, Process, 2000, rowSeed: 2);
        CollectionAssert.AreEqual(Labels(a), Labels(b));
        foreach (var field in Process.Fields)
            CollectionAssert.AreEqual(Values(a, field.Name), Values(b, field.Name), field.Name);
        CollectionAssert.AreEqual(a.GetColumn<bool>(ClickData.HardColumn).ToArray(), b.GetColumn<bool>(ClickData.HardColumn).ToArray());
        Assert.IsTrue(Values(a, "item_id").Zip(Values(c, "item_id")).Count(p => p.First != p.Second) > 1000);
        Assert.IsTrue(Values(a, "user_id").All(v => v.StartsWith('u')));
    }

    [TestMethod]
    public void RowIDependsOnlyOnTheSeedsAndISoALargeViewStartsWithASmallOne()
    {
        var ml = new MLContext(0);
        var large = ClickData.Generate(ml, Process, 1_000_000, rowSeed: 5);
        var small = ClickData.Generate(ml, Process, 300, rowSeed: 5);
        Assert.AreEqual(1_000_000L, large.GetRowCount());
        CollectionAssert.AreEqual(Values(small, "site"), Values(ml.Data.TakeRows(large, 300), "site"));
        CollectionAssert.AreEqual(Labels(small), Labels(ml.Data.TakeRows(large, 300)));
    }

    [TestMethod]
    public void TheCleanClickRateIsNearBaseRateAndTheObservedRateNearObservedClickRate()
    {
        // 20,000 rows: the sampling error of a rate near 0.2 is about 0.003, so 0.012 is about four standard errors.
        var ml = new MLContext(0);
        double clean = Share(Labels(ClickData.Generate(ml, Process with { NoiseRate = 0 }, 20_000, rowSeed: 3)));
        double observed = Share(Labels(ClickData.Generate(ml, Process, 20_000, rowSeed: 3)));
        Assert.AreEqual(0.15, Process.BaseRate);
        Assert.AreEqual(0.185, Process.ObservedClickRate, 1e-12);
        Assert.AreEqual(Process.BaseRate, clean, 0.012);
        Assert.AreEqual(Process.ObservedClickRate, observed, 0.012);
        Assert.AreEqual(Process.ObservedClickRate, ClickData.ClickProbabilities(Process, 20_000, rowSeed: 3).Average(), 0.012);
        Assert.AreEqual(Process.BaseRate, ClickData.ClickProbabilities(Process, 20_000, rowSeed: 3, noiseless: true).Average(), 0.012);
    }

    [TestMethod]
    public void NoiseFlipsAboutNoiseRateOfTheCleanLabels()
    {
        var ml = new MLContext(0);
        var clean = ClickData.Generate(ml, Process with { NoiseRate = 0 }, 20_000, rowSeed: 4);
        var noisy = ClickData.Generate(ml, Process, 20_000, rowSeed: 4);
        CollectionAssert.AreEqual(Values(clean, "user_id"), Values(noisy, "user_id"));
        double flipped = Share(Labels(clean).Zip(Labels(noisy), (c, n) => c != n));
        Assert.AreEqual(Process.NoiseRate, flipped, 0.01);
    }

    [TestMethod]
    public void ValueFrequenciesAreSkewed()
    {
        var counts = Values(ClickData.Generate(new MLContext(0), Process, 20_000, rowSeed: 6), "user_id")
            .GroupBy(v => v).Select(g => g.Count()).OrderDescending().ToArray();
        int median = counts[counts.Length / 2];
        Assert.IsTrue(counts[0] > 100 * median, $"most frequent user_id {counts[0]} rows, median {median}");
        Assert.IsTrue(counts.Length > 3000, $"{counts.Length} distinct user_ids");
    }

    [TestMethod]
    public void AboutHardFractionOfRowsAreHard()
    {
        var data = ClickData.Generate(new MLContext(0), Process, 20_000, rowSeed: 7);
        Assert.AreEqual(Process.HardFraction, Share(data.GetColumn<bool>(ClickData.HardColumn)), 0.05);
        Assert.AreEqual(0.0, Share(ClickData.Generate(new MLContext(0), Process with { HardFraction = 0 }, 2000, rowSeed: 7).GetColumn<bool>(ClickData.HardColumn)));
    }

    [TestMethod]
    public void ADifferentSeedGivesADifferentProcess()
    {
        var a = ClickData.ClickProbabilities(Process, 2000, rowSeed: 1, noiseless: true);
        var b = ClickData.ClickProbabilities(Process with { Seed = 12 }, 2000, rowSeed: 1, noiseless: true);
        double correlation = Correlation(a, b);
        Assert.IsTrue(Math.Abs(correlation) < 0.2, $"correlation {correlation:F3}");
    }

    [TestMethod]
    public void ALinearModelOnHashedOneHotFieldsBeatsChanceOnHeldOutRowsButNotTheBayesRule()
    {
        var ml = new MLContext(0);
        var fields = Process.Fields.Select(f => f.Name).ToArray();
        var train = ClickData.Generate(ml, Process, 20_000, rowSeed: 21);
        var test = ClickData.Generate(ml, Process, 5000, rowSeed: 22);
        var model = ml.Transforms.Categorical.OneHotHashEncoding(fields.Select(f => new InputOutputColumnPair(f)).ToArray(), numberOfBits: 12)
            .Append(ml.Transforms.Concatenate("Features", fields))
            .Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(l2Regularization: 1f))
            .Fit(train);
        double auc = ml.BinaryClassification.EvaluateNonCalibrated(model.Transform(test)).AreaUnderRocCurve;
        double bayes = Auc(ClickData.ClickProbabilities(Process, 5000, rowSeed: 22), Labels(test));
        Assert.IsTrue(auc > 0.6, $"model AUC {auc:F3}");
        Assert.IsTrue(bayes > auc, $"Bayes AUC {bayes:F3}, model AUC {auc:F3}");
    }

    [TestMethod]
    public void BadArgumentsAreRefusedByName()
    {
        var ml = new MLContext(0);
        string Refused(ClickProcess process) => Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ClickData.Generate(ml, process, 10, 0)).ParamName!;
        Assert.AreEqual("rows", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ClickData.Generate(ml, Process, -1, 0)).ParamName);
        Assert.AreEqual("BaseRate", Refused(Process with { BaseRate = 1 }));
        Assert.AreEqual("NoiseRate", Refused(Process with { NoiseRate = 0.5 }));
        Assert.AreEqual("HardFraction", Refused(Process with { HardFraction = -0.1 }));
        Assert.AreEqual("ZipfExponent", Refused(Process with { ZipfExponent = double.NaN }));
        Assert.AreEqual("LatentDimension", Refused(Process with { LatentDimension = 0 }));
        Assert.AreEqual("HardScale", Refused(Process with { HardScale = -1 }));
        Assert.AreEqual("Fields", Refused(Process with { Fields = [new ClickField("a", 0)] }));
        Assert.AreEqual("Fields", Refused(Process with { Fields = [new ClickField("a", 3), new ClickField("a", 3)] }));
        Assert.AreEqual("Interactions", Refused(Process with { Interactions = [("user_id", "nope")] }));
        Assert.AreEqual("HardFields", Refused(Process with { HardFields = ("site", "site", "hour") }));
    }

    private static double Correlation(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average();
        double sxy = x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum();
        return sxy / Math.Sqrt(x.Sum(a => (a - mx) * (a - mx)) * y.Sum(b => (b - my) * (b - my)));
    }

    /// <summary>Area under the ROC curve: the chance that a random positive scores above a random negative (ties half).</summary>
    private static double Auc(double[] scores, bool[] labels)
    {
        var order = Enumerable.Range(0, scores.Length).OrderBy(i => scores[i]).ToArray();
        double rankSum = 0;
        for (int start = 0; start < order.Length;)
        {
            int end = start;
            while (end < order.Length && scores[order[end]] == scores[order[start]]) end++;
            double rank = (start + end + 1) / 2.0;   // mean 1-based rank of the tie group
            for (int k = start; k < end; k++) if (labels[order[k]]) rankSum += rank;
            start = end;
        }
        long positives = labels.LongCount(l => l), negatives = labels.Length - positives;
        return (rankSum - positives * (positives + 1) / 2.0) / (positives * (double)negatives);
    }
}
