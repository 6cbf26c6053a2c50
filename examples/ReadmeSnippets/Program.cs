// The README's C# snippets, verbatim and in order, so that the build proves they compile (ReadmeSnippetsTests checks
// that every ```csharp block of README.md appears here). Running it runs them: several minutes on two cores.
using AutoLoss;
using Microsoft.ML;

var ml = new MLContext(seed: 1);
var (train, test) = Digits.LoadSplit(ml);          // 8,000 / 2,000 real MNIST digits, embedded

var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
    .Append(ml.MulticlassClassification.Trainers.AdaptiveLoss(new AdaptiveLossMulticlassTrainer.Options
    {
        Student = new MlpSpec { HiddenSizes = [500, 300] },
        Loss = new L2tDlfLossOptions(),             // or LossOptions.CrossEntropy(), new AlaLossOptions(), ...
        ValidationFraction = 0.1,                   // the teacher learns from held-out rows,
        RefitOnAllData = true,                      // then a fresh student learns from all rows
        NumberOfEpochs = 20, BatchSize = 100, LearningRate = 0.1,
        Progress = epoch => Console.WriteLine(epoch),
    }));

using var model = pipeline.Fit(train);
var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
Console.WriteLine($"accuracy {metrics.MicroAccuracy:P2}");

// ML.NET's Model.Save cannot store third-party transformers; these can, with the whole pipeline.
ml.Model.SaveWithAutoLoss(model, train.Schema, "digits.zip");
var loaded = ml.Model.LoadWithAutoLoss("digits.zip", out var inputSchema);
using var engine = ml.Model.CreatePredictionEngine<DigitRow, DigitPrediction>(loaded, inputSchema);   // disposes loaded with it
var first = ml.Data.CreateEnumerable<DigitRow>(test, reuseRowObject: false).First();
Console.WriteLine($"digit {first.Label}: class key {engine.Predict(first).PredictedLabel}");

var prep = ml.Transforms.Conversion.MapValueToKey("Label").Fit(train);
var options = new AdaptiveLossMulticlassTrainer.Options { ValidationData = prep.Transform(test), EarlyStoppingPatience = 3 };
using var fitted = ml.MulticlassClassification.Trainers.AdaptiveLoss(options).Fit(prep.Transform(train));

var split = ml.Data.TrainTestSplit(SyntheticData.Friedman(ml, rows: 2000, features: 8, seed: 1), testFraction: 0.2);
var regression = ml.Regression.Trainers.AdaptiveLoss(new AdaptiveLossRegressionTrainer.Options
{
    LabelColumnName = "Label",                   // a scalar float (ConvertType other types first)
    ExampleWeightColumnName = null,              // optional: the loss becomes a weighted mean
    Student = new MlpSpec { HiddenSizes = [64] },
    NumberOfEpochs = 20, ValidationFraction = 0.1, EarlyStoppingPatience = 3,
});
using var regressor = regression.Fit(split.TrainSet);
var errors = ml.Regression.Evaluate(regressor.Transform(split.TestSet));   // MSE, RMSE, R^2 ...

var (nines, ninesTest) = BinaryTasks.DigitVersusRest(ml, positiveDigit: 9);   // Boolean Label, ~10% positives
using var binary = ml.BinaryClassification.Trainers.AdaptiveLoss(new AdaptiveLossBinaryTrainer.Options
{
    Loss = new AlaLossOptions(),    // aligns the loss to AUCPR by default on a binary task
    ValidationFraction = 0.1, RefitOnAllData = true,
}).Fit(nines);
var binaryMetrics = ml.BinaryClassification.Evaluate(binary.Transform(ninesTest));   // AUC, AUCPR, log-loss, F1 ...

// Any folder of images with a label each; here 2,000 + 500 of the embedded digits written as 28x28 PNG files.
string imageFolder = Path.Combine(Path.GetTempPath(), "autoloss-digit-images");
var (trainImages, testImages) = DigitImages.WriteSplit(imageFolder, trainCount: 2000, testCount: 500);
var imageRows = ml.Data.LoadFromEnumerable(trainImages);
var imagePipeline = ml.Transforms.Conversion.MapValueToKey("Label")
    .Append(ml.Transforms.LoadImages("Image", imageFolder, nameof(DigitImage.ImagePath)))
    .Append(ml.Transforms.ResizeImages("Image", 28, 28))
    .Append(ml.Transforms.ExtractPixels("Features", "Image", ImagePixelExtractingEstimator.ColorBits.Red, scaleImage: 1 / 255f))
    .Append(ml.MulticlassClassification.Trainers.AdaptiveLoss(new AdaptiveLossMulticlassTrainer.Options
    {
        Student = ConvNetSpec.LeNet5(channels: 1, height: 28, width: 28),   // ConvNetSpec.ResNet8() for 32x32 colour
        Loss = new L2tDlfLossOptions(),                                     // every loss method teaches a CNN
        ValidationFraction = 0.1, RefitOnAllData = true,
        Augmentation = new ImageAugmentation { MaxShift = 2 },              // seeded random shifts of training images
        NumberOfEpochs = 10, LearningRate = 0.05,
    }))
    .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
using var imageModel = imagePipeline.Fit(imageRows);
ml.Model.SaveWithAutoLoss(imageModel, imageRows.Schema, "digit-images.zip");
using var imageEngine = ml.Model.CreatePredictionEngine<DigitImage, ImagePrediction>(imageModel);
Console.WriteLine($"{testImages[0].ImagePath}: {imageEngine.Predict(testImages[0]).PredictedLabel}");

// The student alone, as ONNX: input "Features"; outputs "Score", "PredictedLabel" (the key) and "PredictedLabelValue"
// (the digit as text). ApplyOnnxModel (package Microsoft.ML.OnnxTransformer) or ONNX Runtime scores it without TorchSharp.
ml.Model.ExportToOnnx(model.LastTransformer, "digits.onnx");
var onnxScoring = ml.Transforms.ApplyOnnxModel(["PredictedLabelValue", "Score"], ["Features"], "digits.onnx");

// ALA: align the loss to the metric you report (default: error rate; AUCPR for binary tasks).
var ala = new AlaLossOptions { Metric = AlaMetric.MacroF1, Children = 2, StepsPerAction = 50 };
ala.ActionCompleted += d => Console.WriteLine($"reward {d.Reward}, Phi diagonal {d.MeanDiagonal:F3}");
var keyed = ml.Transforms.Conversion.MapValueToKey("Label").Fit(train).Transform(train);
using var aligned = ml.MulticlassClassification.Trainers.AdaptiveLoss(new AdaptiveLossMulticlassTrainer.Options
{
    Loss = ala,
    ValidationFraction = 0.1,   // the controller's state and reward come from held-out rows
    RefitOnAllData = true,      // then a fresh student learns from all rows, replaying Phi_t
}).Fit(keyed);
aligned.GetLearnedLoss<AlaPolicyModel>()!.Save("policy.bin");   // L2T-DLF: GetLearnedLoss<L2tDlfTeacherModel>()

// Policy transfer: a saved policy (pair-shared: any number of classes) teaches a new student, frozen.
var reuse = new AlaLossOptions { PretrainedPolicy = AlaPolicyModel.Load("policy.bin") };

var process = new SparseTasks.Process(Features: 48, Informative: 4, Noise: 0.5, Seed: 102);
var sparse = SparseTasks.LinearRegression(ml, process, rows: 120, rowSeed: 1);
var schedule = new ScheduleLossOptions
{
    L1Strength = 0.2, TeacherEpisodes = 128,          // task loss vs 0.2 x ||W||_1
    ControllerLearningRate = 0.05,
    EpisodesPerUpdate = 16, PairedEpisodes = true,    // episodes compared in groups of 16 on one student
    EpisodeExploration = 0.5,                         // each episode tries its own mix (random logit offset)...
    LearningChoices = ScheduleChoiceRendering.Balanced, // ...rendered without dice, so its validation loss measures the mix
    FrozenChoices = ScheduleChoiceRendering.Balanced, // the final student gets the learned mix without sampling noise
};
// or your own objectives: Objectives = [ScheduleObjective.TaskLoss, ScheduleObjective.Custom("aux", s => ...)]
using var scheduled = ml.Regression.Trainers.AdaptiveLoss(new AdaptiveLossRegressionTrainer.Options
{
    Student = new MlpSpec { HiddenSizes = [] },       // linear
    NumberOfEpochs = 40, BatchSize = 16, LearningRate = 0.01,
    Loss = schedule, ValidationFraction = 0.2, RefitOnAllData = true,
}).Fit(sparse);                                       // about 15 s; test MSE 0.30 against 0.50 without the L1 steps
scheduled.GetLearnedLoss<ScheduleController>()!.Save("controller.bin");
// reuse, frozen, on other data: new ScheduleLossOptions { PretrainedController = ScheduleController.Load("controller.bin"),
//     L1Strength = 0.2, FrozenChoices = ... }   (the objectives and RewardEvery it learned with; others are refused)

// A loss written as text over p (class probabilities), z (logits) and y (the one-hot label), summed over classes.
var written = LossOptions.Expression("-(y * log(p))");     // cross-entropy, written out

// Or search one on your data: each candidate loss trains the student for a few epochs and is scored on held-out rows.
var searched = ml.MulticlassClassification.SearchLoss(keyed, new LossSearchOptions
{
    Method = new AutoLossZeroSearch(),                   // or new TaylorLossSearch()
    MaxTrials = 40, MaxWallTime = TimeSpan.FromMinutes(5),
    Progress = t => Console.WriteLine($"{t.Fitness:P1} {t.Candidate}"),
});
Console.WriteLine($"{searched.Expression}: trained {searched.Cost["trained"]}, rejected {searched.Cost["rejected"]} candidates");
searched.Save("loss.json");                              // the white-box text and its provenance
using var withSearchedLoss = ml.MulticlassClassification.Trainers.AdaptiveLoss(new AdaptiveLossMulticlassTrainer.Options
{
    Loss = SearchedLoss.Load("loss.json").ToLossOptions(),   // frozen, on this or other data
}).Fit(keyed);

// Per-example loss mixing: a controller gives each example weights over candidate losses (Gumbel-softmax) and
// learns them on held-out rows; the student minimises the mix.
var mixing = new LossMixingOptions();   // BCE, focal, squared error on p, hinge on the margin; first-order updates
using var mixed = ml.BinaryClassification.Trainers.AdaptiveLoss(new AdaptiveLossBinaryTrainer.Options
{
    Loss = mixing, ValidationFraction = 0.1,
}).Fit(nines);
mixed.GetLearnedLoss<LossMixerController>()!.Save("mixer.bin");
var frozenMix = new LossMixingOptions { PretrainedController = LossMixerController.Load("mixer.bin") };
var uniformMix = mixing.UniformMixture();   // the untrained controller's fixed mix, to compare with

// A DeepFM student over categorical fields: Features holds one category index per field (1..N, 0 = unknown).
var clickStudent = new DeepFmSpec { FieldCardinalities = [100_000, 20_000, 500, 24], EmbeddingSize = 8 };
var clickLogs = ClickData.Generate(ml, new ClickProcess(Seed: 1), rows: 100_000, rowSeed: 1);   // generated click logs

// Sparse features (one-hot or hashed, up to 2^24 slots) without densifying a batch: an embedding bag over each
// row's non-zero (slot, value) pairs, then any student on top.
var hashed = ml.Transforms.Concatenate("Fields", "user_id", "item_id", "site")
    .Append(ml.Transforms.Categorical.OneHotHashEncoding("Features", "Fields",
        Microsoft.ML.Transforms.OneHotEncodingEstimator.OutputKind.Bag, numberOfBits: 20))
    .Fit(clickLogs).Transform(clickLogs);
using var sparseModel = ml.BinaryClassification.Trainers.AdaptiveLoss(new AdaptiveLossBinaryTrainer.Options
{
    Student = new SparseInputSpec { EmbeddingSize = 16, Body = new MlpSpec { HiddenSizes = [64] } },
    Loss = new LossMixingOptions(), ValidationFraction = 0.1,
    Optimizer = OptimizerKind.Adam, LearningRate = 0.003, NumberOfEpochs = 1, BatchSize = 512,
}).Fit(hashed);

// Metric learning: an embedding learned on digits 0-4 recognises 5-9 from five examples each.
var seen = ml.Data.FilterRowsByColumn(train, "Label", 0, 5);
var unseen = ml.Data.FilterRowsByColumn(test, "Label", 5, 10);
var toKey = ml.Transforms.Conversion.MapValueToKey("Label");
using var embedder = ml.MetricLearning().Trainers.AdaptiveLoss(new AdaptiveLossEmbeddingTrainer.Options
{
    EmbeddingSize = 64, Student = new MlpSpec { HiddenSizes = [256] },
    Loss = new AlaEmbeddingLossOptions { Family = new AlaDistanceMixture() },   // or LossOptions.PerExample(() => new MarginLoss())
    ValidationFraction = 0.2, Optimizer = OptimizerKind.Adam, LearningRate = 0.001,
}).Fit(toKey.Fit(seen).Transform(seen));
var unseenKeyed = toKey.Fit(unseen).Transform(unseen);
var references = embedder.Transform(ml.Data.TakeRows(ml.Data.ShuffleRows(unseenKeyed, seed: 1), 25));   // ~5 per digit
var fewShot = ml.MetricLearning().NearestNeighbor(labelColumnName: "Label").Fit(references);
var fewShotMetrics = ml.MulticlassClassification.Evaluate(fewShot.Transform(embedder.Transform(unseenKeyed)));
ml.Model.SaveWithAutoLoss(embedder.Append(fewShot), unseenKeyed.Schema, "few-shot.zip");

TorchModuleRegistry.Register("my-cnn", (inputs, outputs) => TorchSharp.torch.nn.Sequential(
    ("image", TorchSharp.torch.nn.Unflatten(1, [1, 28, 28])),
    ("conv", TorchSharp.torch.nn.Conv2d(1, 8, 3, padding: 1)),
    ("relu", TorchSharp.torch.nn.ReLU()),
    ("pool", TorchSharp.torch.nn.MaxPool2d(2)),
    ("flatten", TorchSharp.torch.nn.Flatten()),
    ("output", TorchSharp.torch.nn.Linear(8 * 14 * 14, outputs))));
var myStudent = new TorchModuleSpec("my-cnn", inputShape: [1, 28, 28]);   // Student = myStudent

// Search the student's architecture with NAO (UseNao = false: random search, same budget) under a size limit.
var studentSearch = ml.MulticlassClassification.SearchStudent(keyed, new StudentSearchOptions
{
    Nao = new NaoOptions { MaxParameters = 300_000 },
    MaxTrials = 60, NumberOfEpochs = 3,
});
studentSearch.Save("students.json");    // every architecture with its score and size, and NAO's controller
var searchedStudent = studentSearch.BestStudent(new MlpArchitectureSpace());   // Student = searchedStudent, any Loss

// Every worker silo names the evaluators it offers; each is built once per silo (e.g. loading the data from a path).
var workerBuilder = Host.CreateApplicationBuilder();
workerBuilder.UseOrleans(silo => silo
    .UseLocalhostClustering()                     // production: a membership provider, e.g. UseRedisClustering(...)
    .AddTrialWorkers(workers => workers.Add("digits-mlp", _ => DigitsMlpTrials.Evaluator(epochs: 4))));
using var worker = workerBuilder.Build();
await worker.StartAsync();                        // usually a process of its own: dotnet run --project examples/TrialWorker

// The search sends its trials to the cluster: the same runner and strategy, another evaluator.
var clientBuilder = Host.CreateApplicationBuilder();
clientBuilder.UseOrleansClient(client => client.UseLocalhostClustering());
using var clusterClient = clientBuilder.Build();
await clusterClient.StartAsync();
var remoteTrials = new OrleansTrialEvaluator<int[]>(clusterClient.Services.GetRequiredService<IClusterClient>(), "digits-mlp",
    SearchObjective.Maximize(MetricNames.Accuracy), new OrleansTrialOptions { TrialTimeout = TimeSpan.FromMinutes(10) });
var distributed = await new SearchRunner<int[]>(new RandomSearchStrategy<int[]>(new HiddenSizes(), seed: 1), remoteTrials,
    new SearchRunnerOptions { Budget = new SearchBudget { MaxTrials = 8, MaxConcurrentTrials = 2 } }).RunAsync();
Console.WriteLine($"best: MLP({string.Join("-", distributed.Best!.Trial.Candidate)})");

public class DigitPrediction
{
    public uint PredictedLabel { get; set; }    // the class key: 1 + its index in the label's key values
    public float[] Score { get; set; } = [];    // class probabilities, in key order
}

public class ImagePrediction
{
    public float PredictedLabel { get; set; }   // the digit, mapped back from its key
    public float[] Score { get; set; } = [];
}

public sealed class FocalLoss(double gamma) : IPerExampleLoss
{
    public string Name => $"focal (gamma {gamma})";

    public void Validate(TrainingTask task, string optionName)
    {
        if (task is not ClassificationTask)
            throw new ArgumentException($"{optionName} is {Name}, a classification loss; a {task} task needs another loss.", optionName);
    }

    public TorchSharp.torch.Tensor Compute(TorchSharp.torch.Tensor outputs, TorchSharp.torch.Tensor labels)
    {
        using var logp = TorchSharp.torch.nn.functional.log_softmax(outputs, 1);
        using var logpy = logp.gather(1, labels.unsqueeze(1)).squeeze(1);
        using var weight = logpy.exp().neg().add(1).pow(gamma);
        return weight.mul(logpy).neg();
    }
}

public sealed class HiddenSizes : ISearchSpace<int[]>
{
    public int[] Sample(Random random) => [64 << random.Next(4)];   // one hidden layer of 64 to 512 units
}
