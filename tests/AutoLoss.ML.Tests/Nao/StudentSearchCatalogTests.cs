using AutoLoss.Core.Search.Nao;
using Microsoft.ML;

namespace AutoLoss.ML.Tests.Nao;

/// <summary><c>mlContext.MulticlassClassification.SearchStudent</c>: NAO and random search on an IDataView under a size
/// limit, an artefact that saves, loads and continues, and whose best architecture trains the AdaptiveLoss trainer.</summary>
[TestClass]
public sealed class StudentSearchCatalogTests
{
    private static StudentSearchOptions Small(bool nao = true, List<EvaluatedStudent>? seen = null) => new()
    {
        UseNao = nao,
        Nao = new NaoOptions { SeedArchitectures = 6, Rounds = 2, NewPerRound = 3, TopArchitectures = 3, ControllerEpochs = 50, MaxParameters = 3000 },
        NumberOfEpochs = 2,
        MaxTrials = 9,
        Progress = seen is null ? null : s => { lock (seen) seen.Add(s); },
    };

    [TestMethod]
    public void NaoSearchesAStudentUnderASizeLimitAndItsBestTrainsTheTrainer()
    {
        var ml = new MLContext(seed: 2);
        var data = TestData.Clusters(ml, rows: 300);
        var seen = new List<EvaluatedStudent>();
        var options = Small(seen: seen);
        var result = ml.MulticlassClassification.SearchStudent(data, options);

        Assert.AreEqual("nao", result.Strategy);
        Assert.HasCount(9, result.Evaluated);
        Assert.HasCount(9, seen);
        Assert.IsTrue(result.Evaluated.All(e => e.Parameters <= 3000), "no architecture above the size limit");
        var best = result.BestStudent(options.Space);
        using var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o => o.Student = best)).Fit(data);
        Assert.IsGreaterThan(0.8, TestData.Accuracy(ml, model, data));
    }

    [TestMethod]
    public void TheTrainerSearchesItsStudentFirstWhenAskedAndTrainsTheBestWithItsLoss()
    {
        var ml = new MLContext(seed: 6);
        var data = TestData.Clusters(ml, rows: 300);
        var search = Small();
        using var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o =>
        {
            o.StudentSearch = search;
            o.Loss = LossOptions.GeneralizedCrossEntropy();
        })).Fit(data);

        Assert.IsNotNull(model.StudentSearch);
        Assert.HasCount(9, model.StudentSearch.Evaluated);
        Assert.AreEqual(model.StudentSearch.BestStudent(search.Space).ToString(), model.Student.ToString(), "the model's student is the search's best");
        Assert.IsGreaterThan(0.8, TestData.Accuracy(ml, model, data));
        StringAssert.Contains(Assert.Throws<ArgumentException>(() => ml.Regression.Trainers.AdaptiveLoss(TestData.FastRegressionOptions(o => o.StudentSearch = Small()))
            .Fit(TestData.Linear(ml, rows: 100))).Message, "StudentSearch");
    }

    [TestMethod]
    public void ASavedSearchLoadsAndContinuesWhereItStopped()
    {
        var ml = new MLContext(seed: 3);
        var data = TestData.Clusters(ml, rows: 200);
        var first = ml.MulticlassClassification.SearchStudent(data, Small());
        using var stream = new MemoryStream();
        first.Save(stream);
        stream.Position = 0;
        var loaded = ArchitectureSearchResult.Load(stream);
        CollectionAssert.AreEqual(first.Evaluated.Select(e => e.Student).ToArray(), loaded.Evaluated.Select(e => e.Student).ToArray());

        var more = Small();
        more.MaxTrials = 3;
        more.ContinueFrom = loaded;
        var continued = ml.MulticlassClassification.SearchStudent(data, more);
        Assert.HasCount(12, continued.Evaluated);
        CollectionAssert.AreEqual(Enumerable.Range(0, 12).ToArray(), continued.Evaluated.Select(e => e.TrialId).ToArray(), "trial ids carry on");
        Assert.AreEqual(12, continued.NextTrialId);
    }

    [TestMethod]
    public void RandomSearchIsTheBaselineThroughTheSameApiAndBadOptionsAreRefused()
    {
        var ml = new MLContext(seed: 4);
        var data = TestData.Clusters(ml, rows: 200);
        var randomOptions = Small(nao: false);
        randomOptions.MaxConcurrentTrials = 2;
        randomOptions.StopHopelessTrials = true;
        var random = ml.MulticlassClassification.SearchStudent(data, randomOptions);
        Assert.AreEqual("random", random.Strategy);
        Assert.HasCount(9, random.Evaluated);
        Assert.IsTrue(random.Evaluated.All(e => e.Parameters <= 3000));

        var bad = Small();
        bad.MaxTrials = 0;
        StringAssert.Contains(Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.SearchStudent(data, bad)).Message, "MaxTrials");
        var wrongContinuation = Small();
        wrongContinuation.ContinueFrom = random;
        StringAssert.Contains(Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.SearchStudent(data, wrongContinuation)).Message, "random");
        Assert.ThrowsExactly<InvalidDataException>(() => ArchitectureSearchResult.Load(new MemoryStream("not json"u8.ToArray())));
    }
}
