using Microsoft.ML;

namespace AutoLoss.ML.Tests.Images;

/// <summary>Convolutional training is reproducible: oneDNN's AVX2 and AVX-512 convolutions were not on the project's
/// machines (different weights from run to run, often NaN), so the library caps oneDNN at SSE4.1 (OneDnnIsaCap).</summary>
[TestClass]
public sealed class ConvNetDeterminismTests
{
    /// <summary>Every kind of block: plain with max pooling, strided residual with batch norm and average pooling, and
    /// global average pooling into a dense head (the combination that failed most often without the cap).</summary>
    internal static ConvNetSpec EveryBlockKind() => new()
    {
        Blocks =
        [
            new() { Channels = 4, KernelSize = 5, Pooling = Pooling.Max },
            new() { Channels = 6, Stride = 2, BatchNorm = true, Residual = true, Pooling = Pooling.Average },
            new() { Channels = 6, BatchNorm = true, Residual = true },
        ],
        GlobalAveragePooling = true,
        HeadSizes = [12],
        Activation = Activation.LeakyRelu,
    };

    [TestMethod]
    public void TheSameSeedTrainsAConvNetToTheSameScoresEveryTime()
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = ImageData.Digits(ml, trainRows: 200, testRows: 50);
        foreach (var spec in new[] { ImageData.SmallLeNet(), EveryBlockKind() })
        {
            float[] Scores()
            {
                using var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o =>
                {
                    o.Student = spec;
                    o.NumberOfEpochs = 2;
                })).Fit(train);
                return TestData.Scores(model.Transform(test)).SelectMany(s => s).ToArray();
            }
            var first = Scores();
            Assert.IsTrue(first.All(float.IsFinite), spec.ToString());
            for (int run = 0; run < 3; run++)
                CollectionAssert.AreEqual(first, Scores(), $"{spec}, run {run + 2}");
        }
    }
}
