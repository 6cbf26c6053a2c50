using AutoLoss.Core.Search;
using AutoLoss.Core.Search.LossEvolution;
using Microsoft.ML;

namespace AutoLoss.ML.Tests.LossExpressions;

/// <summary><c>mlContext.MulticlassClassification.SearchLoss</c>: a loss search on an IDataView, reproducible from the
/// MLContext's seed, whose result trains the AdaptiveLoss trainer; and its refusals.</summary>
[TestClass]
public sealed class LossSearchCatalogTests
{
    private static LossSearchOptions Small(LossSearchMethod? method = null, List<LossSearchTrial>? seen = null) => new()
    {
        Method = method ?? new AutoLossZeroSearch
        {
            Evolution = new ExpressionEvolutionOptions { PopulationSize = 4, Generations = 2, MaxInitialHeight = 3, InitialExpressions = [LossExpression.Parse("-(y * log(p))")] },
        },
        Student = new MlpSpec { HiddenSizes = [8] },
        NumberOfEpochs = 2,
        MaxTrials = 12,
        Progress = seen is null ? null : t => { lock (seen) seen.Add(t); },
    };

    [TestMethod]
    public void SearchLossFindsALossOnAnIDataViewThatTrainsTheAdaptiveLossTrainer()
    {
        var ml = new MLContext(seed: 5);
        var data = TestData.Clusters(ml, rows: 300);
        var seen = new List<LossSearchTrial>();
        var searched = ml.MulticlassClassification.SearchLoss(data, Small(seen: seen));

        Assert.AreEqual("AutoLoss-Zero", searched.Method);
        Assert.AreEqual(searched.Cost["trained"], seen.Count, "one progress report per trained candidate");
        Assert.IsGreaterThan(0.8, searched.Fitness, "accuracy on the held-out rows");
        using var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o => o.Loss = searched.ToLossOptions())).Fit(data);
        Assert.IsGreaterThan(0.8, TestData.Accuracy(ml, model, data));
        Assert.AreEqual(searched.ToLossOptions().ToString(), model.TrainingLoss);
    }

    [TestMethod]
    public void TheSameMlContextSeedFindsTheSameLoss()
    {
        SearchedLoss Search() { var ml = new MLContext(seed: 9); return ml.MulticlassClassification.SearchLoss(TestData.Clusters(ml, rows: 200), Small()); }
        var first = Search();
        var second = Search();
        Assert.AreEqual(first.Expression, second.Expression);
        Assert.AreEqual(first.Fitness, second.Fitness);
    }

    [TestMethod]
    public void TaylorSearchRunsThroughTheSameCatalog()
    {
        var ml = new MLContext(seed: 2);
        var searched = ml.MulticlassClassification.SearchLoss(TestData.Clusters(ml, rows: 200),
            Small(new TaylorLossSearch { CmaEs = TaylorLossSearch.DefaultOptions(generations: 2, populationSize: 4) }));
        Assert.AreEqual("Taylor CMA-ES", searched.Method);
        Assert.AreEqual(8, searched.Cost["trained"]);
        Assert.IsNotNull(searched.Parse());
    }

    [TestMethod]
    public void BinarySearchLossTakesABooleanLabelAndItsLossTrainsTheBinaryTrainer()
    {
        var ml = new MLContext(seed: 3);
        var data = BinaryTasks.ImbalancedGaussian(ml, 300, TestData.Features, 0.3, seed: 4, separation: 4);
        var searched = ml.BinaryClassification.SearchLoss(data, Small());
        Assert.IsGreaterThan(0.8, searched.Fitness, "accuracy on the held-out rows");
        using var model = ml.BinaryClassification.Trainers.AdaptiveLoss(new AdaptiveLossBinaryTrainer.Options
        {
            Loss = searched.ToLossOptions(), Student = new MlpSpec { HiddenSizes = [8] }, NumberOfEpochs = 5, BatchSize = 32, LearningRate = 0.05,
        }).Fit(data);
        Assert.IsGreaterThan(0.8, ml.BinaryClassification.Evaluate(model.Transform(data)).Accuracy);
        StringAssert.Contains(Assert.Throws<ArgumentException>(() => ml.BinaryClassification.SearchLoss(TestData.Clusters(ml, rows: 50), Small())).Message, "Label");
    }

    [TestMethod]
    public void BadColumnsAndOptionsAreRefusedNamingThem()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Clusters(ml, rows: 100);
        var noColumn = Small();
        noColumn.LabelColumnName = "Missing";
        StringAssert.Contains(Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.SearchLoss(data, noColumn)).Message, "Missing");
        var noValidation = Small();
        noValidation.ValidationFraction = 0;
        StringAssert.Contains(Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.SearchLoss(data, noValidation)).Message, "ValidationFraction");
        var noEpochs = Small();
        noEpochs.NumberOfEpochs = 0;
        StringAssert.Contains(Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.SearchLoss(data, noEpochs)).Message, "NumberOfEpochs");
        var regressionLabel = ml.Transforms.Conversion.MapKeyToValue("Label").Fit(data).Transform(data);
        StringAssert.Contains(Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.SearchLoss(regressionLabel, Small())).Message, "MapValueToKey");
    }
}
