using AutoLoss.Core.Search;

namespace AutoLoss.ML.Tests;

[TestClass]
public sealed class SearchJsonTests
{
    [TestMethod]
    public void TrialAndResultDescriptionsRoundTripThroughJson()
    {
        var trial = new Trial<GridPoint>(7, new GridPoint(3, -2), TrialSeed.Derive(1, 7));
        var result = new TrialResult
        {
            TrialId = 7,
            Status = TrialStatus.StoppedEarly,
            MetricValue = double.NaN,
            MetricName = "Error",
            HigherIsBetter = false,
            IntermediateValues = [new(1, 0.5), new(2, double.PositiveInfinity)],
            ErrorMessage = "why",
            Duration = TimeSpan.FromMilliseconds(1234.5),
            Measurements = new Dictionary<string, double> { ["ParameterCount"] = 42_000, ["Nan"] = double.NaN },
        };

        var trialBack = SearchJson.Deserialize<Trial<GridPoint>>(SearchJson.Serialize(trial));
        string json = SearchJson.Serialize(result);
        var resultBack = SearchJson.Deserialize<TrialResult>(json);

        Assert.AreEqual(trial, trialBack);
        Assert.AreEqual(json, SearchJson.Serialize(resultBack));
        Assert.Contains("\"status\":\"StoppedEarly\"", json);
        Assert.IsTrue(double.IsNaN(resultBack.MetricValue));
        Assert.AreEqual(result.Duration, resultBack.Duration);
        CollectionAssert.AreEqual(result.IntermediateValues.ToList(), resultBack.IntermediateValues.ToList());
        Assert.AreEqual(42_000, resultBack.Measurements["ParameterCount"]);
        Assert.AreEqual("why", resultBack.ErrorMessage);
    }

    [TestMethod]
    public async Task SearchResultRoundTripsThroughJsonWithItsBestTrial()
    {
        var runner = new SearchRunner<GridPoint>(new RandomSearchStrategy<GridPoint>(new GridSpace(), 8),
            SearchTesting.QuadraticEvaluator(), SearchTesting.Options(maxTrials: 12));
        var result = await runner.RunAsync();

        string json = SearchJson.Serialize(result);
        var back = SearchJson.Deserialize<SearchResult<GridPoint>>(json);

        Assert.AreEqual(json, SearchJson.Serialize(back));
        Assert.AreEqual(result.Best!.Trial, back.Best!.Trial);
        Assert.AreEqual(result.Objective, back.Objective);
        Assert.AreEqual(SearchStopReason.MaxTrialsReached, back.StopReason);
        Assert.AreEqual(12, back.NextTrialId);
    }

    [TestMethod]
    public void DocumentsFollowEachOtherInOneStream()
    {
        using var stream = new MemoryStream();
        SearchJson.WriteDocument(stream, new GridPoint(1, 2));
        SearchJson.WriteDocument(stream, SearchObjective.Maximize("Accuracy"));
        stream.Position = 0;

        Assert.AreEqual(new GridPoint(1, 2), SearchJson.ReadDocument<GridPoint>(stream));
        Assert.AreEqual(SearchObjective.Maximize("Accuracy"), SearchJson.ReadDocument<SearchObjective>(stream));
        Assert.ThrowsExactly<InvalidDataException>(() => SearchJson.ReadDocument<GridPoint>(stream));
    }
}
