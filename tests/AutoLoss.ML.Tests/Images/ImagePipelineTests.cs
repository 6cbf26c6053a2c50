using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace AutoLoss.ML.Tests.Images;

/// <summary>ML.NET's image pipeline end to end on real PNG files: LoadImages -> ResizeImages -> ExtractPixels ->
/// AdaptiveLoss with a CNN, saved with the project's save API and scored from image paths in a fresh process.</summary>
[TestClass]
public sealed class ImagePipelineTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void AnImagePipelineOverPngFilesTrainsSavesAndPredictsFromAnImagePathInAFreshProcess()
    {
        string folder = Path.Combine(TestContext.TestRunDirectory ?? Path.GetTempPath(), $"{Guid.NewGuid():N}-digit-images");
        var (trainFiles, testFiles) = DigitImages.WriteSplit(folder, trainCount: 800, testCount: 100);
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(trainFiles);
        var test = ml.Data.LoadFromEnumerable(testFiles);

        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.LoadImages("Image", folder, nameof(DigitImage.ImagePath)))
            .Append(ml.Transforms.ResizeImages("Image", 28, 28))
            .Append(ml.Transforms.ExtractPixels("Features", "Image", ImagePixelExtractingEstimator.ColorBits.Red, scaleImage: 1 / 255f))
            .Append(ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o =>
            {
                o.Student = ImageData.SmallLeNet();
                o.NumberOfEpochs = 6;
            })))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var model = pipeline.Fit(train);
        try
        {
            var scored = model.Transform(test);
            var metrics = ml.MulticlassClassification.Evaluate(scored);
            Assert.IsGreaterThan(0.8, metrics.MicroAccuracy, "a CNN trained on 800 PNG digits");

            string modelPath = Path.Combine(folder, "model.zip"), pathsFile = Path.Combine(folder, "paths.txt"), outPath = Path.Combine(folder, "predictions.txt");
            ml.Model.SaveWithAutoLoss(model, train.Schema, modelPath);
            File.WriteAllLines(pathsFile, testFiles.Select(f => f.ImagePath));
            var fresh = ScoreInFreshProcess(modelPath, pathsFile, outPath);

            // The fresh process's PredictionEngine scores one row at a time, as this one's does (bit for bit); the batched
            // Transform runs other convolution kernels, equal to within rounding.
            using var engine = ml.Model.CreatePredictionEngine<DigitImage, Prediction>(model);
            var batch = TestData.Scores(scored);
            Assert.HasCount(testFiles.Count, fresh);
            for (int i = 0; i < fresh.Count; i++)
            {
                var here = engine.Predict(testFiles[i]);
                Assert.AreEqual(here.PredictedLabel, fresh[i].Label, $"image {testFiles[i].ImagePath}");
                CollectionAssert.AreEqual(here.Score.Select(BitConverter.SingleToInt32Bits).ToArray(), fresh[i].ScoreBits, $"image {testFiles[i].ImagePath}");
                for (int c = 0; c < here.Score.Length; c++)
                    Assert.AreEqual(batch[i][c], here.Score[c], 1e-5, $"image {testFiles[i].ImagePath}, class {c}: batched and single-row scores");
            }
        }
        finally
        {
            (model as IDisposable)?.Dispose();
        }
    }

    [TestMethod]
    public void ExtractPixelsGivesBackTheDigitsFeaturesInChwOrder()
    {
        string folder = Path.Combine(TestContext.TestRunDirectory ?? Path.GetTempPath(), $"{Guid.NewGuid():N}-digit-pixels");
        var (files, _) = DigitImages.WriteSplit(folder, trainCount: 5, testCount: 0);
        var ml = new MLContext(seed: 1);
        var pixels = ml.Transforms.LoadImages("Image", folder, nameof(DigitImage.ImagePath))
            .Append(ml.Transforms.ResizeImages("Image", 28, 28))
            .Append(ml.Transforms.ExtractPixels("Features", "Image", ImagePixelExtractingEstimator.ColorBits.Red, scaleImage: 1 / 255f));
        var data = ml.Data.LoadFromEnumerable(files);
        var extracted = pixels.Fit(data).Transform(data).GetColumn<float[]>("Features").ToList();
        var digits = Digits.LoadArrays();
        for (int r = 0; r < files.Count; r++)
        {
            var expected = digits.GatherFeatures([digits.TrainIndices[r]]);
            Assert.HasCount(Digits.FeatureCount, extracted[r]);
            for (int i = 0; i < expected.Length; i++)
                Assert.AreEqual(expected[i], extracted[r][i], 0.5 / 255 + 1e-6, $"row {r}, pixel {i}");
        }
    }

    private sealed class Prediction
    {
        public float PredictedLabel { get; set; }

        public float[] Score { get; set; } = [];
    }

    private static List<(float Label, int[] ScoreBits)> ScoreInFreshProcess(string modelPath, string pathsFile, string outPath)
    {
        FreshProcessScoring.RunHost("images", modelPath, pathsFile, outPath);
        return File.ReadAllLines(outPath).Select(line =>
        {
            var parts = line.Split(' ');
            return (float.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), parts.Skip(1).Select(int.Parse).ToArray());
        }).ToList();
    }
}
