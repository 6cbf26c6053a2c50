using Microsoft.ML;

namespace AutoLoss.ML.Tests.Images;

/// <summary>Convolutional students under every loss method, and image augmentation.</summary>
[TestClass]
public sealed class ConvNetTrainingTests
{
    private static LossOptions Loss(string method) => method switch
    {
        "cross-entropy" => LossOptions.CrossEntropy(),
        "phi" => LossOptions.Parametric(Identity(10), MathF.Log(10)),
        "ala" => new AlaLossOptions { StepsPerAction = 4, ValidationChecksPerAction = 1, Children = 1 },
        "schedule" => new ScheduleLossOptions { TeacherEpisodes = 2, EpisodeEpochs = 1, EpisodesPerUpdate = 1, RewardEvery = 4, L1Strength = 1e-5 },
        "l2t-dlf" => new L2tDlfLossOptions { UnrollSteps = 2, StudentStepsPerTeacherUpdate = 5, TeacherHiddenSize = 8, DevBatchSize = 32 },
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };

    [TestMethod]
    [DataRow("cross-entropy")]
    [DataRow("phi")]
    [DataRow("ala")]
    [DataRow("schedule")]
    [DataRow("l2t-dlf")]
    public void EveryLossMethodTeachesAConvNetOnTheDigits(string method)
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = ImageData.Digits(ml, trainRows: 800, testRows: 200);
        bool learned = method is "ala" or "schedule" or "l2t-dlf";
        using var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o =>
        {
            o.Student = ImageData.SmallLeNet();
            o.Loss = Loss(method);
            o.NumberOfEpochs = 8;
            o.LearningRate = 0.05;
            if (learned) o.ValidationFraction = 0.2;
        })).Fit(train);
        Assert.IsGreaterThan(0.6, TestData.Accuracy(ml, model, test), $"{method}: a CNN on digits beats chance (0.1) by far");
        Assert.AreEqual(learned, model.LearnedLoss is not null, "a learned loss comes back on the model");
        Assert.IsInstanceOfType<ConvNetSpec>(model.Student);
    }

    [TestMethod]
    public void AugmentationIsSeededAndChangesTheTrainedModel()
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = ImageData.Digits(ml, trainRows: 300, testRows: 100);
        float[] Scores(ImageAugmentation? augmentation)
        {
            using var model = ml.MulticlassClassification.Trainers.AdaptiveLoss(TestData.FastOptions(o =>
            {
                o.Student = ImageData.SmallLeNet();
                o.NumberOfEpochs = 2;
                o.Augmentation = augmentation;
            })).Fit(train);
            return TestData.Scores(model.Transform(test)).SelectMany(s => s).ToArray();
        }
        var shifted = Scores(new ImageAugmentation { MaxShift = 2 });
        CollectionAssert.AreEqual(shifted, Scores(new ImageAugmentation { MaxShift = 2 }), "the same seed draws the same shifts");
        CollectionAssert.AreNotEqual(shifted, Scores(null));
        CollectionAssert.AreNotEqual(shifted, Scores(new ImageAugmentation { MaxShift = 2, HorizontalFlip = true }));
    }

    [TestMethod]
    public void AShiftMovesTheImageWithZeroFillAndAFlipMirrorsIt()
    {
        // One 1x3x3 image 1..9; a shift of at most 1 and a flip, drawn from a fixed generator.
        using var image = TorchSharp.torch.arange(1, 10, dtype: TorchSharp.torch.ScalarType.Float32).view(1, 9);
        var augmentation = new ImageAugmentation { MaxShift = 1, HorizontalFlip = true };
        var seen = new HashSet<string>();
        for (int seed = 0; seed < 40; seed++)
        {
            using var result = augmentation.Apply(image, [1, 3, 3], new Random(seed));
            var values = result.data<float>().ToArray();
            using var again = augmentation.Apply(image, [1, 3, 3], new Random(seed));
            CollectionAssert.AreEqual(values, again.data<float>().ToArray(), "a generator state fixes the result");
            Assert.IsTrue(values.All(v => v == 0 || (v >= 1 && v <= 9)), "pixels move or become zero, never change value");
            Assert.IsGreaterThanOrEqualTo(4, values.Count(v => v > 0), "a shift of one pixel keeps at least a 2x2 corner");
            seen.Add(string.Join(",", values));
        }
        Assert.Contains("3,2,1,6,5,4,9,8,7", seen, "an unshifted flip mirrors each row");
        Assert.Contains("0,0,0,0,1,2,0,4,5", seen, "a shift down-right by one fills the top row and left column with zeros");
        Assert.IsGreaterThan(10, seen.Count);
    }

    [TestMethod]
    public void AugmentationWithoutAnImageStudentIsRefusedNamingTheOption()
    {
        var ml = new MLContext(seed: 1);
        var e = Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.AdaptiveLoss(
            TestData.FastOptions(o => o.Augmentation = new ImageAugmentation())).Fit(TestData.Clusters(ml, rows: 60)));
        StringAssert.Contains(e.Message, "Augmentation");
        StringAssert.Contains(e.Message, "ConvNetSpec");
        var tooFar = Assert.Throws<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Trainers.AdaptiveLoss(
            TestData.FastOptions(o => { o.Student = ImageData.SmallLeNet(); o.Augmentation = new ImageAugmentation { MaxShift = 28 }; }))
            .Fit(ImageData.Digits(ml, trainRows: 20).Train));
        StringAssert.Contains(tooFar.Message, "MaxShift");
    }

    private static float[,] Identity(int n)
    {
        var phi = new float[n, n];
        for (int i = 0; i < n; i++) phi[i, i] = 1;
        return phi;
    }
}
