// Quickstart for AutoLoss.ML: on the embedded MNIST digits (8,000 train / 2,000 test), the same MLP student trained
// with cross-entropy, with an L2T-DLF teacher and with an ALA loss policy (each learning on 10% held-out rows, then
// refitting a fresh student on all rows), next to ML.NET's LightGbm; then saving, loading and a PredictionEngine.
//
//   dotnet run -c Release --project examples/Quickstart [-- --epochs N]

using System.Diagnostics;
using System.Globalization;
using AutoLoss;
using Microsoft.ML;
using Microsoft.ML.Data;

int epochs = ParseEpochs(args);
var ml = new MLContext(seed: 1);
var (train, test) = Digits.LoadSplit(ml);
Console.WriteLine($"Digits: {Digits.TrainCount} train / {Digits.TestCount} test rows; AdaptiveLoss students: MLP 500-300, {epochs} epochs.");

// The learned losses learn from held-out rows (ValidationFraction), then train a fresh student on every row with what
// they learned (RefitOnAllData): the held-out rows cost the returned model nothing.
AdaptiveLossMulticlassTrainer AdaptiveLoss(LossOptions loss, bool learned) =>
    ml.MulticlassClassification.Trainers.AdaptiveLoss(new AdaptiveLossMulticlassTrainer.Options
    {
        Loss = loss,
        NumberOfEpochs = epochs,
        ValidationFraction = learned ? 0.1 : 0,
        RefitOnAllData = learned,
    });

// ML.NET's LightGbm runs first: libtorch's OpenMP workers keep spinning for a while after each parallel region, and on
// a small machine LightGbm's own OpenMP threads then crawl.
var candidates = new (string Name, IEstimator<ITransformer> Trainer)[]
{
    ("ML.NET LightGbm (defaults)", ml.MulticlassClassification.Trainers.LightGbm()),
    ("AdaptiveLoss, cross-entropy", AdaptiveLoss(LossOptions.CrossEntropy(), learned: false)),
    ("AdaptiveLoss, L2T-DLF teacher + refit", AdaptiveLoss(new L2tDlfLossOptions(), learned: true)),
    ("AdaptiveLoss, ALA policy + refit", AdaptiveLoss(new AlaLossOptions(), learned: true)),
};

var results = new List<(string Name, MulticlassClassificationMetrics Metrics, double Seconds)>();
TransformerChain<ITransformer>? teacherModel = null;
foreach (var (name, trainer) in candidates)
{
    Console.WriteLine($"Training {name} ...");
    var pipeline = ml.Transforms.Conversion.MapValueToKey("Label").Append(trainer);   // multiclass labels are keys
    var watch = Stopwatch.StartNew();
    var model = pipeline.Fit(train);
    watch.Stop();
    var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
    results.Add((name, metrics, watch.Elapsed.TotalSeconds));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    test accuracy {metrics.MicroAccuracy:P2}, fit {watch.Elapsed.TotalSeconds:F1} s"));
    if (model.LastTransformer is AdaptiveLossMulticlassTransformer { LearnedLoss: L2tDlfTeacherModel teacher })
    {
        Console.WriteLine($"    the model carries its learned teacher: {teacher.TeacherUpdates} hypergradient updates");
        teacherModel = model;                                  // kept for save/load below
    }
    else model.Dispose();                                      // AdaptiveLoss models hold native tensors
}

Console.WriteLine();
Console.WriteLine($"| {"method",-40} | {"test error",10} | {"log-loss",8} | {"fit s",6} |");
Console.WriteLine($"|{new string('-', 42)}|{new string('-', 12)}|{new string('-', 10)}|{new string('-', 8)}|");
foreach (var (name, m, seconds) in results)
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name,-40} | {1 - m.MicroAccuracy,10:P2} | {m.LogLoss,8:F4} | {seconds,6:F1} |"));
Console.WriteLine("One seed on one split; benchmarks/README.md has the 5-seed comparison (L2T-DLF 3.43 +- 0.06%, ALA 3.67 +- 0.14%, cross-entropy 4.01 +- 0.27%).");
Console.WriteLine();

// Save and load: ML.NET's Model.Save cannot store third-party transformers, so AutoLoss.ML saves whole pipelines
// (ML.NET transforms included) with SaveWithAutoLoss. PredictedLabel (a key) is mapped back to the digit first.
var deployable = teacherModel!.Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel").Fit(teacherModel.Transform(train)));
string path = Path.Combine(Path.GetTempPath(), $"autoloss-quickstart-{Environment.ProcessId}.zip");
try
{
    ml.Model.SaveWithAutoLoss(deployable, train.Schema, path);
    Console.WriteLine($"Saved the L2T-DLF model to {path} ({new FileInfo(path).Length / 1024} KiB).");
    using var loaded = (TransformerChain<ITransformer>)ml.Model.LoadWithAutoLoss(path, out var inputSchema);
    var labels = ml.Data.CreateEnumerable<DigitRow>(test, reuseRowObject: false).Select(r => r.Label).ToArray();
    var predicted = ml.Data.CreateEnumerable<DigitPrediction>(loaded.Transform(test), reuseRowObject: false).Select(p => p.PredictedLabel).ToArray();
    Console.WriteLine($"Loaded it back: test accuracy {labels.Zip(predicted).Count(t => t.First == t.Second) / (double)labels.Length:P2}.");

    using var engine = ml.Model.CreatePredictionEngine<DigitRow, DigitPrediction>(loaded, inputSchema);
    var digit = ml.Data.CreateEnumerable<DigitRow>(test, reuseRowObject: false).First();
    var prediction = engine.Predict(digit);
    Console.WriteLine($"PredictionEngine: the first test digit is {digit.Label}, predicted {prediction.PredictedLabel} (probability {prediction.Score.Max():F3}).");
}
finally
{
    deployable.Dispose();                                      // disposes the AdaptiveLoss transformer inside
    File.Delete(path);
}

static int ParseEpochs(string[] args)
{
    int epochs = 20;
    for (int i = 0; i < args.Length; i++)
    {
        if (args[i] == "--epochs" && i + 1 < args.Length && int.TryParse(args[i + 1], out int n) && n > 0) { epochs = n; i++; }
        else if (args[i] is "-h" or "--help") { Console.WriteLine("usage: Quickstart [--epochs N]"); Environment.Exit(0); }
        else { Console.Error.WriteLine($"unknown or invalid argument '{args[i]}'; usage: Quickstart [--epochs N]"); Environment.Exit(2); }
    }
    return epochs;
}

/// <summary>Output of the saved pipeline: the predicted digit (mapped back from the key) and the class probabilities.</summary>
public class DigitPrediction
{
    public float PredictedLabel { get; set; }

    public float[] Score { get; set; } = [];
}
