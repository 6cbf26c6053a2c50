using AutoLoss;
using AutoLoss.ML.Datasets;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GanSchedule;

/// <summary>
/// An inception-style score of generated digits: a digits classifier (the AdaptiveLoss trainer, cross-entropy,
/// trained on the embedded digits) gives p(y|x) for every sample, and the score is exp(E_x KL(p(y|x) || p(y))),
/// between 1 (every sample looks alike, or like no digit) and 10 (confident and evenly spread over the ten digits).
/// Real test digits score about 9.
/// </summary>
internal sealed class SampleQuality
{
    private readonly MLContext _ml;
    private readonly PredictionEngine<ImageRow, ClassProbabilities> _engine;

    private SampleQuality(MLContext ml, PredictionEngine<ImageRow, ClassProbabilities> engine)
    {
        _ml = ml;
        _engine = engine;
    }

    /// <summary>Trains the scoring classifier (MLP 256, 5 epochs) and reports its test accuracy.</summary>
    public static SampleQuality Train(int seed)
    {
        var ml = new MLContext(seed: seed);
        var (train, test) = Digits.LoadSplit(ml);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.AdaptiveLoss(new AutoLoss.AdaptiveLossMulticlassTrainer.Options
            {
                Student = new AutoLoss.MlpSpec { HiddenSizes = [256] },
                NumberOfEpochs = 5,
            }));
        var model = pipeline.Fit(train);
        double accuracy = ml.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy;
        Console.WriteLine($"Scoring classifier (AdaptiveLoss, MLP 784-256-10, 5 epochs): test accuracy {accuracy:P2}.");
        return new SampleQuality(ml, ml.Model.CreatePredictionEngine<ImageRow, ClassProbabilities>(model, ignoreMissingColumns: true));
    }

    /// <summary>The score of <paramref name="count"/> images (row-major, 784 pixels each), and the number of digit
    /// classes that are the most probable class of at least 2% of them.</summary>
    public (double Score, int ClassesCovered) Measure(float[] images, int count)
    {
        var probabilities = new double[count][];
        var marginal = new double[10];
        var argmaxCounts = new int[10];
        for (int i = 0; i < count; i++)
        {
            var p = _engine.Predict(new ImageRow { Features = images.AsSpan(i * 784, 784).ToArray() }).Score;
            probabilities[i] = p.Select(v => (double)v).ToArray();
            for (int c = 0; c < 10; c++) marginal[c] += probabilities[i][c] / count;
            argmaxCounts[Array.IndexOf(p, p.Max())]++;
        }
        double kl = 0;
        foreach (var p in probabilities)
            for (int c = 0; c < 10; c++)
                if (p[c] > 1e-12) kl += p[c] * Math.Log(p[c] / Math.Max(marginal[c], 1e-12)) / count;
        return (Math.Exp(kl), argmaxCounts.Count(n => n >= 0.02 * count));
    }

    private sealed class ImageRow
    {
        [VectorType(784)] public float[] Features { get; set; } = [];
        public float Label { get; set; }
    }

    private sealed class ClassProbabilities
    {
        public float[] Score { get; set; } = [];
    }
}
