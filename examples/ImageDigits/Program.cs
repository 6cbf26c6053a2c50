// A CNN over image files with ML.NET's image transforms.
//   dotnet run -c Release --project examples/ImageDigits              train, evaluate, save, then score in a fresh process
//   dotnet run -c Release --project examples/ImageDigits -- predict <model.zip> <image.png>...
using System.Diagnostics;
using AutoLoss;
using Microsoft.ML;
using Microsoft.ML.Transforms.Image;

if (args.Length >= 3 && args[0] == "predict")
    return Predict(args[1], args[2..]);

string folder = Path.Combine(Path.GetTempPath(), "autoloss-image-digits");
Console.WriteLine($"Writing the 8,000 training and 2,000 test digits as PNG files to {folder} ...");
var (trainFiles, testFiles) = DigitImages.WriteSplit(folder, trainCount: Digits.TrainCount, testCount: Digits.TestCount);

var ml = new MLContext(seed: 1);
var train = ml.Data.LoadFromEnumerable(trainFiles);
var test = ml.Data.LoadFromEnumerable(testFiles);
var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
    .Append(ml.Transforms.LoadImages("Image", folder, nameof(DigitImage.ImagePath)))
    .Append(ml.Transforms.ResizeImages("Image", 28, 28))
    .Append(ml.Transforms.ExtractPixels("Features", "Image", ImagePixelExtractingEstimator.ColorBits.Red, scaleImage: 1 / 255f))
    .Append(ml.MulticlassClassification.Trainers.AdaptiveLoss(new AdaptiveLossMulticlassTrainer.Options
    {
        Student = ConvNetSpec.LeNet5(),
        Loss = LossOptions.CrossEntropy(),
        Augmentation = new ImageAugmentation { MaxShift = 2 },
        NumberOfEpochs = 15,
        LearningRate = 0.05,
        LearningRateSchedule = LearningRateSchedule.Cosine,
        Progress = epoch => Console.WriteLine($"  {epoch}"),
    }))
    .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

Console.WriteLine($"Training {ConvNetSpec.LeNet5()} ...");
using var model = pipeline.Fit(train);
var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
Console.WriteLine($"Test error on 2,000 image files: {1 - metrics.MicroAccuracy:P2}");

string modelPath = Path.Combine(folder, "lenet.zip");
ml.Model.SaveWithAutoLoss(model, train.Schema, modelPath);
Console.WriteLine($"Saved the whole pipeline to {modelPath} ({new FileInfo(modelPath).Length / 1024} KiB).");
// The student alone as ONNX, for services that score without TorchSharp (examples/OnnxScoring).
string onnxPath = Path.Combine(folder, "lenet.onnx");
ml.Model.ExportToOnnx(model.OfType<AdaptiveLossMulticlassTransformer>().Single(), onnxPath);
Console.WriteLine($"Exported the student to {onnxPath} ({new FileInfo(onnxPath).Length / 1024} KiB).");

using var engine = ml.Model.CreatePredictionEngine<DigitImage, ImagePrediction>(model);
var samples = testFiles.Take(5).ToList();
foreach (var file in samples)
    Console.WriteLine($"  this process:  {file.ImagePath} (label {file.Label}) -> {engine.Predict(file).PredictedLabel}");

// A fresh process loads the file and predicts from image paths alone.
var start = new ProcessStartInfo("dotnet") { ArgumentList = { typeof(ImagePrediction).Assembly.Location, "predict", modelPath } };
foreach (var file in samples) start.ArgumentList.Add(file.ImagePath);
using var fresh = Process.Start(start)!;
fresh.WaitForExit();
return fresh.ExitCode;

static int Predict(string modelPath, string[] imagePaths)
{
    var ml = new MLContext();
    var model = ml.Model.LoadWithAutoLoss(modelPath, out _);
    using var owner = model as IDisposable;
    using var engine = ml.Model.CreatePredictionEngine<DigitImage, ImagePrediction>(model);
    foreach (string path in imagePaths)
    {
        var prediction = engine.Predict(new DigitImage { ImagePath = path });
        Console.WriteLine($"  fresh process: {path} -> {prediction.PredictedLabel} (p = {prediction.Score.Max():F3})");
    }
    return 0;
}

/// <summary>The columns read back from the pipeline.</summary>
internal sealed class ImagePrediction
{
    /// <summary>The digit, mapped back from its key.</summary>
    public float PredictedLabel { get; set; }

    /// <summary>Class probabilities in key order.</summary>
    public float[] Score { get; set; } = [];
}
