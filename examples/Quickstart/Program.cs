// Quickstart for AutoLoss.ML: four multiclass trainers on the embedded MNIST digits (8,000 train /
// 2,000 test), a results table, then saving, loading and a PredictionEngine.
//
//   dotnet run -c Release --project examples/Quickstart [-- --epochs N]

using System.Diagnostics;
using System.Globalization;
using AutoLoss;
using AutoLoss.Core.Teaching;
using AutoLoss.ML.Datasets;
using AutoLoss.ML.Trainers;
using Microsoft.ML;
using Microsoft.ML.Data;

int epochs = ParseEpochs(args);
var ml = new MLContext(seed: 1);
var (train, test) = Digits.LoadSplit(ml);
Console.WriteLine($"Digits: {Digits.TrainCount} train / {Digits.TestCount} test rows, {epochs} epochs for AdaptiveLoss.");

// (b) The fixed parametric loss L = -sigmoid(y^T Phi log p + b) with Phi = identity, i.e.
// -sigmoid(log p_y + b). The bias b = log C centres the sigmoid at p_y = 1/C: an untrained network
// predicts about 1/C for every class, so training starts where the sigmoid is steepest and the early
// gradients are large. With b = 0 the loss would start on the sigmoid's flat tail (sigmoid(log 0.1)).
const int classes = 10;
var phi = new float[classes, classes];
for (int i = 0; i < classes; i++) phi[i, i] = 1f;

// ML.NET's baselines run first: libtorch's OpenMP workers keep spinning for a while after each
// parallel region, and on a small machine LightGbm's own OpenMP threads then crawl (minutes, not seconds).
var candidates = new (string Name, IEstimator<ITransformer> Trainer)[]
{
    ("ML.NET LightGbm", ml.MulticlassClassification.Trainers.LightGbm()),
    ("ML.NET LbfgsMaximumEntropy", ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy()),
    ("AdaptiveLoss, cross-entropy", ml.MulticlassClassification.Trainers.AdaptiveLoss(new AdaptiveLossMulticlassTrainer.Options
    {
        NumberOfEpochs = epochs,
        Progress = summary => Console.WriteLine($"    {summary}"),
    })),
    ("AdaptiveLoss, parametric Phi=I, b=log 10", ml.MulticlassClassification.Trainers.AdaptiveLoss(new AdaptiveLossMulticlassTrainer.Options
    {
        NumberOfEpochs = epochs,
        Loss = LossOptions.Parametric(phi, bias: MathF.Log(classes)),
        Progress = summary => Console.WriteLine($"    {summary}"),
    })),
};

var results = new List<(string Name, MulticlassClassificationMetrics Metrics, double Seconds)>();
ITransformer? adaptiveModel = null;
foreach (var (name, trainer) in candidates)
{
    Console.WriteLine($"Training {name} ...");
    // ML.NET multiclass trainers need a key-typed label: map the float digit to a key first.
    var pipeline = ml.Transforms.Conversion.MapValueToKey("Label").Append(trainer);
    var watch = Stopwatch.StartNew();
    var model = pipeline.Fit(train);
    watch.Stop();
    var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
    results.Add((name, metrics, watch.Elapsed.TotalSeconds));
    if (adaptiveModel is null && name.StartsWith("AdaptiveLoss", StringComparison.Ordinal))
        adaptiveModel = model;                                 // keep the cross-entropy student for save/load below
    else (model as IDisposable)?.Dispose();                    // AdaptiveLoss models hold native tensors
}

Console.WriteLine();
Console.WriteLine($"| {"method",-40} | {"accuracy",8} | {"macro acc",9} | {"log-loss",8} | {"fit s",6} |");
Console.WriteLine($"|{new string('-', 42)}|{new string('-', 10)}|{new string('-', 11)}|{new string('-', 10)}|{new string('-', 8)}|");
foreach (var (name, m, seconds) in results)
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name,-40} | {m.MicroAccuracy,8:P2} | {m.MacroAccuracy,9:P2} | {m.LogLoss,8:F4} | {seconds,6:F1} |"));
Console.WriteLine();

// Save and load. ML.NET's Model.Save cannot store third-party transformers, so AutoLoss.ML brings its own
// SaveWithAutoLoss / LoadWithAutoLoss for whole pipelines (ML.NET transforms included).
// For prediction, PredictedLabel (a key) is mapped back to the float digit before saving.
var scoredTrain = adaptiveModel!.Transform(train);
var keyToDigit = ml.Transforms.Conversion.MapKeyToValue("PredictedLabel").Fit(scoredTrain);
var deployable = ((TransformerChain<ITransformer>)adaptiveModel).Append(keyToDigit);
string path = Path.Combine(Path.GetTempPath(), $"autoloss-quickstart-{Environment.ProcessId}.zip");
try
{
    ml.Model.SaveWithAutoLoss(deployable, train.Schema, path);
    Console.WriteLine($"Saved the cross-entropy model to {path} ({new FileInfo(path).Length / 1024} KiB).");

    var loaded = ml.Model.LoadWithAutoLoss(path, out var inputSchema);
    try
    {
        Console.WriteLine($"Loaded it back; input columns: {string.Join(", ", inputSchema.Select(c => $"{c.Name} ({c.Type})"))}.");

        // The reloaded pipeline scores the whole test set like the original.
        var labels = ml.Data.CreateEnumerable<DigitRow>(test, reuseRowObject: false).Select(r => r.Label).ToArray();
        var predicted = ml.Data.CreateEnumerable<DigitPrediction>(loaded.Transform(test), reuseRowObject: false)
            .Select(p => p.PredictedLabel).ToArray();
        double reloadedAccuracy = labels.Zip(predicted).Count(t => t.First == t.Second) / (double)labels.Length;
        Console.WriteLine($"Reloaded model test accuracy: {reloadedAccuracy:P2} (original {results.First(r => r.Name.StartsWith("AdaptiveLoss", StringComparison.Ordinal)).Metrics.MicroAccuracy:P2}).");

        // One prediction through a PredictionEngine.
        var digit = ml.Data.CreateEnumerable<DigitRow>(test, reuseRowObject: false).First();
        using var engine = ml.Model.CreatePredictionEngine<DigitRow, DigitPrediction>(loaded, inputSchema);
        var prediction = engine.Predict(digit);
        Console.WriteLine($"PredictionEngine: first test digit is {digit.Label}, predicted {prediction.PredictedLabel} " +
                          $"(score {prediction.Score.Max():F3}).");
    }
    finally
    {
        (loaded as IDisposable)?.Dispose();
    }
}
finally
{
    (deployable as IDisposable)?.Dispose();  // disposes the AdaptiveLoss transformer inside
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

/// <summary>Output of the saved pipeline: the predicted digit (mapped back from the key) and class scores.</summary>
public class DigitPrediction
{
    [ColumnName("PredictedLabel")]
    public float PredictedLabel { get; set; }

    [ColumnName("Score")]
    public float[] Score { get; set; } = [];
}
