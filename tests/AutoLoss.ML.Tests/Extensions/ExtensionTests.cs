using AutoLoss.Core.Data;
using AutoLoss.Core.Search;
using AutoLoss.Core.Training;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace AutoLoss.ML.Tests.Extensions;

/// <summary>The core is open: a student architecture, a per-example loss and a search strategy defined in this test
/// project alone (no change under src/) plug into the trainer, persistence, L2T-DLF's unroll and the search runner.</summary>
[TestClass]
public sealed class ExtensionTests
{
    [TestMethod]
    public void AStudentSpecDefinedOutsideTheLibraryTrainsSavesAndLoadsWithIdenticalScores()
    {
        SkipLinearSpec.Register();
        var ml = new MLContext(seed: 1);
        var data = TestData.Clusters(ml, rows: 300);
        using var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o => o.Student = new SkipLinearSpec { Hidden = 6 })).Fit(data);
        Assert.IsGreaterThan(0.8f, TestData.Accuracy(ml, model, data));
        Assert.IsInstanceOfType<SkipLinearSpec>(model.Student);

        using var stream = new MemoryStream();
        ml.Model.SaveWithAutoLoss(model, data.Schema, stream);
        stream.Position = 0;
        var loaded = new MLContext().Model.LoadWithAutoLoss(stream, out _);
        CollectionAssert.AreEqual(Flat(TestData.Scores(model.Transform(data))), Flat(TestData.Scores(loaded.Transform(data))));
        var loadedModel = loaded as AdaptiveLossMulticlassTransformer ?? (AdaptiveLossMulticlassTransformer)((TransformerChain<ITransformer>)loaded).LastTransformer;
        Assert.AreEqual(6, ((SkipLinearSpec)loadedModel.Student).Hidden);
    }

    [TestMethod]
    public void L2tDlfUnrollsAStudentDefinedOutsideTheLibrary()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Clusters(ml, rows: 300);
        var loss = new L2tDlfLossOptions { UnrollSteps = 3, StudentStepsPerTeacherUpdate = 4, TeacherHiddenSize = 4, DevBatchSize = 32 };
        using var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o =>
        {
            o.Student = new SkipLinearSpec { Hidden = 6 };
            o.Loss = loss;
            o.ValidationFraction = 0.2;
            o.NumberOfEpochs = 2;
        })).Fit(data);
        var teacher = model.GetLearnedLoss<L2tDlfTeacherModel>();
        Assert.IsNotNull(teacher);
        Assert.IsGreaterThan(0, teacher.TeacherUpdates, "hypergradient steps through the custom student's functional form");
    }

    [TestMethod]
    public void APerExampleLossDefinedOutsideTheLibraryIsWhatTheTrainerMinimises()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Clusters(ml, rows: 300);
        var focal = new FocalLoss(gamma: 2);
        var options = TestData.FastOptions(o => o.Loss = LossOptions.PerExample(() => focal));
        using var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(options).Fit(data);
        Assert.IsGreaterThan(0.8f, TestData.Accuracy(ml, model, data));
        Assert.IsGreaterThan(5 * 300 / 32, focal.Calls, "one call per training step");
        using var ce = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions()).Fit(data);
        CollectionAssert.AreNotEqual(Flat(TestData.Scores(ce.Transform(data))), Flat(TestData.Scores(model.Transform(data))), "focal loss trains another student");

        var refused = Assert.Throws<ArgumentException>(() => ml.Regression.Trainers.AdaptiveLoss(new AdaptiveLossRegressionTrainer.Options { Loss = options.Loss }));
        StringAssert.Contains(refused.Message, "focal");
    }

    [TestMethod]
    public async Task ASearchStrategyDefinedOutsideTheLibraryRunsTrainingTrialsReproducibly()
    {
        var (train, validation) = (TestData.Blobs(240, seed: 1), TestData.Blobs(120, seed: 2));
        try
        {
            int[][] grid = [[], [2], [16], [32, 16]];
            var shared = new TrainingSettings { NumberOfEpochs = 4, BatchSize = 32, LearningRate = 0.05, Device = ComputeDevice.Cpu };
            var evaluator = new TrainingTrialEvaluator<int[]>(TrainingTask.Multiclass(3),
                trial => new TrainingProblem { Student = new MlpSpec { HiddenSizes = trial.Candidate }, Task = TrainingTask.Multiclass(3), Train = train, Validation = validation },
                _ => shared);   // one instance for every trial: the evaluator works on copies
            Assert.AreEqual(MetricNames.Accuracy, evaluator.Objective.MetricName);

            async Task<SearchResult<int[]>> Run(int concurrent, GridSearchStrategy<int[]> strategy) =>
                await new SearchRunner<int[]>(strategy, evaluator, new SearchRunnerOptions
                {
                    Seed = 5,
                    Budget = new SearchBudget { MaxTrials = 4, MaxConcurrentTrials = concurrent },
                }).RunAsync();

            var sequentialStrategy = new GridSearchStrategy<int[]>(grid);
            var sequential = await Run(1, sequentialStrategy);
            var parallel = await Run(2, new GridSearchStrategy<int[]>(grid));
            Assert.AreEqual(4, sequential.Count(TrialStatus.Completed));
            Assert.IsNull(shared.Progress, "the shared settings are not changed by the trials");
            Assert.AreEqual(4, sequentialStrategy.Told);
            CollectionAssert.AreEqual(sequential.Trials.Select(t => t.Result.MetricValue).ToArray(), parallel.Trials.Select(t => t.Result.MetricValue).ToArray(),
                "seeded trials score the same whether they run one at a time or side by side");
            Assert.AreEqual(sequential.Best!.Result.MetricValue, sequentialStrategy.BestValue);
            Assert.AreEqual(3 * 4 + 3, sequential.Trials[0].Result.Measurements["parameters"], "a linear student on 4 features and 3 classes");
        }
        finally
        {
            train.Dispose();
            validation.Dispose();
        }
    }

    private static float[] Flat(List<float[]> rows) => rows.SelectMany(r => r).ToArray();

    /// <summary>Three Gaussian blobs in 4 dimensions, as a core dataset (no ML.NET).</summary>
}
