using Microsoft.ML;

namespace AutoLoss.ML.Tests.Images;

/// <summary>Convolutional training is reproducible: oneDNN's AVX-512 convolutions, multithreaded, were not on the
/// project's machines (different weights from run to run, sometimes NaN), so the library caps oneDNN at AVX2.</summary>
[TestClass]
public sealed class ConvNetDeterminismTests
{
    [TestMethod]
    public void TheSameSeedTrainsAConvNetToTheSameScoresEveryTime()
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = ImageData.Digits(ml, trainRows: 300, testRows: 50);
        float[] Scores()
        {
            using var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o =>
            {
                o.Student = ImageData.SmallLeNet();
                o.NumberOfEpochs = 2;
                o.LearningRate = 0.01;
            })).Fit(train);
            return TestData.Scores(model.Transform(test)).SelectMany(s => s).ToArray();
        }
        var first = Scores();
        Assert.IsTrue(first.All(float.IsFinite));
        for (int run = 0; run < 3; run++)
            CollectionAssert.AreEqual(first, Scores(), $"run {run + 2}");
    }
}
