using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Tests.Images;

/// <summary>The residual student on 32x32 colour images.</summary>
[TestClass]
public sealed class ResNetTests
{
    private const int Side = 32, Pixels = 3 * Side * Side;

    private sealed class ColourImage
    {
        public float Label { get; set; }

        [VectorType(Pixels)]
        public float[] Features { get; set; } = [];
    }

    /// <summary>Noisy 3x32x32 images (CHW) whose class is the colour plane holding a bright 8x8 square at a random place.</summary>
    private static IDataView Squares(MLContext ml, int rows, int seed)
    {
        var random = new Random(seed);
        var images = new List<ColourImage>();
        for (int r = 0; r < rows; r++)
        {
            int plane = r % 3, top = random.Next(Side - 8), left = random.Next(Side - 8);
            var pixels = new float[Pixels];
            for (int i = 0; i < Pixels; i++) pixels[i] = (float)(random.NextDouble() * 0.3);
            for (int y = top; y < top + 8; y++)
                for (int x = left; x < left + 8; x++)
                    pixels[plane * Side * Side + y * Side + x] += 0.7f;
            images.Add(new ColourImage { Label = plane, Features = pixels });
        }
        var data = ml.Data.LoadFromEnumerable(images);
        return ml.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
    }

    [TestMethod]
    public void AResNet8LearnsColourImagesWithShiftsAndFlips()
    {
        var ml = new MLContext(seed: 1);
        using var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o =>
        {
            o.Student = ConvNetSpec.ResNet8();
            o.NumberOfEpochs = 2;
            o.LearningRate = 0.05;
            o.Augmentation = new ImageAugmentation { MaxShift = 4, HorizontalFlip = true };
        })).Fit(Squares(ml, rows: 240, seed: 1));
        Assert.IsGreaterThan(0.9, TestData.Accuracy(ml, model, Squares(ml, rows: 150, seed: 2)));
        StringAssert.Contains(model.Student.ToString(), "res64 k3 s2 bn");
    }
}
