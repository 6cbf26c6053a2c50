// Scores digit images with a LeNet exported to ONNX, through ML.NET's image transforms and ONNX Runtime only.
//   dotnet run -c Release --project examples/ImageDigits       (writes the PNGs and lenet.onnx first)
//   dotnet run -c Release --project examples/OnnxScoring [-- <model.onnx> <image folder>]
using Microsoft.ML;
using Microsoft.ML.Transforms.Image;

string folder = args.Length >= 2 ? args[1] : Path.Combine(Path.GetTempPath(), "autoloss-image-digits");
string modelPath = args.Length >= 1 ? args[0] : Path.Combine(folder, "lenet.onnx");
if (!File.Exists(modelPath))
{
    Console.Error.WriteLine($"No ONNX model at {modelPath}: run examples/ImageDigits first (it exports lenet.onnx), or pass <model.onnx> <image folder>.");
    return 2;
}

var ml = new MLContext();
var files = Directory.GetFiles(Path.Combine(folder, "test"), "*.png").Order(StringComparer.Ordinal).Select(f => Path.GetRelativePath(folder, f)).ToList();
var images = files.Select(f => new ImageInput { ImagePath = f }).ToList();
var pipeline = ml.Transforms.LoadImages("Image", folder, nameof(ImageInput.ImagePath))
    .Append(ml.Transforms.ResizeImages("Image", 28, 28))
    .Append(ml.Transforms.ExtractPixels("Features", "Image", ImagePixelExtractingEstimator.ColorBits.Red, scaleImage: 1 / 255f))
    .Append(ml.Transforms.ApplyOnnxModel(["PredictedLabelValue", "Score"], ["Features"], modelPath));
using var model = pipeline.Fit(ml.Data.LoadFromEnumerable(images.Take(1)));
using var engine = ml.Model.CreatePredictionEngine<ImageInput, DigitPrediction>(model);

// File names end in _<digit>.png (DigitImages.WriteSplit), so the app can check itself.
int correct = 0;
foreach (var image in images)
{
    var prediction = engine.Predict(image);
    string truth = Path.GetFileNameWithoutExtension(image.ImagePath).Split('_')[^1];
    if (prediction.PredictedLabelValue[0] == truth) correct++;
}
foreach (var image in images.Take(5))
{
    var prediction = engine.Predict(image);
    Console.WriteLine($"{image.ImagePath} -> {prediction.PredictedLabelValue[0]} (p = {prediction.Score.Max():F3})");
}
Console.WriteLine($"{correct} of {images.Count} test images right ({100.0 * correct / images.Count:F2}%), scored by ONNX Runtime without TorchSharp.");
return 0;

/// <summary>One image file.</summary>
internal sealed class ImageInput
{
    /// <summary>Path relative to the image folder.</summary>
    public string ImagePath { get; set; } = "";
}

/// <summary>The exported model's outputs.</summary>
internal sealed class DigitPrediction
{
    /// <summary>The predicted digit as text (the label's own value).</summary>
    public string[] PredictedLabelValue { get; set; } = [];

    /// <summary>Class probabilities in key order.</summary>
    public float[] Score { get; set; } = [];
}
