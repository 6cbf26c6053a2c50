using Microsoft.ML;

namespace AutoLoss.ML.ScoringHost;

/// <summary>Loads a saved image pipeline and predicts image files one by one with a PredictionEngine.</summary>
internal static class ImageScoring
{
    public static int Run(string modelPath, string pathsFile, string outPath)
    {
        var ml = new MLContext();
        var model = ml.Model.LoadWithAutoLoss(modelPath, out _);
        using var owner = model as IDisposable;
        using var engine = ml.Model.CreatePredictionEngine<ImageInput, ImagePrediction>(model);
        using var writer = new StreamWriter(outPath);
        foreach (string path in File.ReadAllLines(pathsFile))
        {
            var prediction = engine.Predict(new ImageInput { ImagePath = path });
            writer.WriteLine($"{prediction.PredictedLabel} {string.Join(' ', prediction.Score.Select(BitConverter.SingleToInt32Bits))}");
        }
        return 0;
    }

    public sealed class ImageInput
    {
        public string ImagePath { get; set; } = "";

        public float Label { get; set; }
    }

    public sealed class ImagePrediction
    {
        public float PredictedLabel { get; set; }

        public float[] Score { get; set; } = [];
    }
}
