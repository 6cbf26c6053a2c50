using System.Globalization;
using AutoLoss;
using AutoLoss.Core.Students;
using AutoLoss.ML.Datasets;
using static TorchSharp.torch;

namespace AutoLoss.ML.Benchmarks;

/// <summary>
/// `bare-accuracy`: the test error of the bare TorchSharp loop (no ML.NET, no AutoLoss trainer) on
/// the same digits split, student and budget as the `ce` method, so the trainer's accuracy can be
/// judged against the loop it wraps rather than against numbers from another split.
/// </summary>
internal static class BareAccuracy
{
    public static int Run(CommandLine cl)
    {
        int seeds = cl.Int("seeds", 3, min: 1);
        int epochs = cl.Int("epochs", 20, min: 1);
        cl.RejectUnknown();

        var digits = Digits.LoadArrays();
        using var loop = new BareTorchLoop(digits.GatherFeatures(digits.TrainIndices), digits.GatherLabels(digits.TrainIndices), Digits.FeatureCount, Digits.ClassCount);
        using var testX = tensor(digits.GatherFeatures(digits.TestIndices), [digits.TestIndices.Length, Digits.FeatureCount]);
        using var testY = tensor(Array.ConvertAll(digits.GatherLabels(digits.TestIndices), l => (long)l));
        var errors = new List<double>();
        for (int seed = 1; seed <= seeds; seed++)
        {
            double error = 0;
            loop.Train(new MlpSpec { HiddenSizes = [500, 300] }, epochs, 100, 0.1, 0.9, seed, student =>
            {
                using var noGrad = no_grad();
                using var predicted = student.forward(testX).argmax(1);
                error = 100.0 * predicted.ne(testY).sum().item<long>() / testY.shape[0];
            });
            errors.Add(error);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  bare-torch  seed {seed,3}: test error {error,6:F2} %"));
        }
        double mean = errors.Average();
        double std = errors.Count > 1 ? Math.Sqrt(errors.Sum(e => (e - mean) * (e - mean)) / (errors.Count - 1)) : 0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bare TorchSharp loop, MLP 784-500-300-10, SGD 0.1 m0.9, batch 100, {epochs} epochs: {mean:F2} ± {std:F2} % over {seeds} seeds"));
        return 0;
    }
}
