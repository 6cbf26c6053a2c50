using System.Globalization;
using AutoLoss;
using Microsoft.ML;
using ScottPlot;

namespace AutoLoss.ML.Benchmarks;

/// <summary>
/// <c>misclassified</c>: trains the digits-images LeNet with cross-entropy (one seed, the accuracy command's settings) and
/// draws the first misclassified test digits with their predicted and true labels.
/// </summary>
internal static class MisclassifiedDigits
{
    private sealed class Prediction
    {
        public float PredictedLabel { get; set; }

        public float[] Score { get; set; } = [];
    }

    public static int Run(CommandLine cl)
    {
        int epochs = cl.Int("epochs", 30, min: 1);
        double learningRate = double.Parse(cl.String("learning-rate", "0.05"), CultureInfo.InvariantCulture);
        int shift = cl.Int("augment-shift", 2, min: 0);
        int seed = cl.Int("seed", 1);
        int count = cl.Int("count", 16, min: 1);
        string outDir = cl.String("out", "benchmarks/results");
        cl.RejectUnknown();

        var ml = new MLContext(seed: seed);
        var (train, test) = Digits.LoadSplit(ml);
        var settings = new MethodSettings(epochs, 100, learningRate, Digits.ClassCount, () => ConvNetSpec.LeNet5(),
            shift > 0 ? new ImageAugmentation { MaxShift = shift } : null, LearningRateSchedule.Cosine);
        Console.WriteLine($"misclassified: {ConvNetSpec.LeNet5()}, cross-entropy, {epochs} epochs, lr {learningRate} cosine, shift {shift}, seed {seed}.");
        var model = Methods.Student(ml, settings, LossOptions.CrossEntropy()).Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel")).Fit(train);
        try
        {
            var rows = ml.Data.CreateEnumerable<DigitRow>(test, reuseRowObject: false).ToList();
            var predictions = ml.Data.CreateEnumerable<Prediction>(model.Transform(test), reuseRowObject: false).ToList();
            var errors = rows.Zip(predictions)
                .Where(p => p.Second.PredictedLabel != p.First.Label)
                .Select(p => (p.First.Features, True: (int)p.First.Label, Predicted: (int)p.Second.PredictedLabel, Confidence: p.Second.Score.Max()))
                .ToList();
            Console.WriteLine($"{errors.Count} of {rows.Count} test digits misclassified ({100.0 * errors.Count / rows.Count:F2}% error).");
            Directory.CreateDirectory(outDir);
            string path = Path.Combine(outDir, "digits-images-misclassified.png");
            Draw(path, errors.Take(count).ToList(), errors.Count, rows.Count);
            Console.WriteLine($"Wrote {path}");
        }
        finally
        {
            (model as IDisposable)?.Dispose();
        }
        return 0;
    }

    private static void Draw(string path, List<(float[] Features, int True, int Predicted, float Confidence)> shown, int errors, int total)
    {
        const int Columns = 8, Side = Digits.ImageSize;
        int rows = (shown.Count + Columns - 1) / Columns;
        var plot = new Plot();
        for (int i = 0; i < shown.Count; i++)
        {
            var (features, truth, predicted, confidence) = shown[i];
            var pixels = new double[Side, Side];
            for (int y = 0; y < Side; y++)
                for (int x = 0; x < Side; x++)
                    pixels[y, x] = 1 - features[y * Side + x];   // dark ink on white
            double left = i % Columns * 1.2, top = -(i / Columns) * 1.5;
            var heatmap = plot.Add.Heatmap(pixels);
            heatmap.Colormap = new ScottPlot.Colormaps.Grayscale();
            heatmap.Extent = new CoordinateRect(left, left + 1, top - 1, top);
            var label = plot.Add.Text(string.Format(CultureInfo.InvariantCulture, "{0} -> {1} ({2:F2})", truth, predicted, confidence), left + 0.5, top - 1.05);
            label.LabelAlignment = Alignment.UpperCenter;
            label.LabelFontSize = 11;
        }
        plot.HideGrid();
        plot.Layout.Frameless();
        plot.Axes.SetLimits(-0.1, Columns * 1.2, -(rows - 1) * 1.5 - 1.3, 0.4);
        var title = plot.Add.Text($"LeNet-5, cross-entropy: {errors} of {total} test digits misclassified (true -> predicted (probability))", Columns * 0.6, 0.3);
        title.LabelAlignment = Alignment.UpperCenter;
        title.LabelFontSize = 13;
        plot.SavePng(path, 960, 140 + rows * 150);
    }
}
