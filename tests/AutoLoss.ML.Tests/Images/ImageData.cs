using Microsoft.ML;

namespace AutoLoss.ML.Tests.Images;

/// <summary>Small image tasks from the embedded digits (1x28x28, CHW) and small convolutional students for them.</summary>
internal static class ImageData
{
    /// <summary>The first <paramref name="trainRows"/> rows of the fixed training split and the first
    /// <paramref name="testRows"/> of the test split, with key-typed labels.</summary>
    public static (IDataView Train, IDataView Test) Digits(MLContext ml, int trainRows = 600, int testRows = 300)
    {
        var (train, test) = AutoLoss.Digits.LoadSplit(ml);
        var key = ml.Transforms.Conversion.MapValueToKey("Label").Fit(train);
        return (key.Transform(ml.Data.TakeRows(train, trainRows)), key.Transform(ml.Data.TakeRows(test, testRows)));
    }

    /// <summary>A LeNet-shaped student with fewer channels, fast enough for tests.</summary>
    public static ConvNetSpec SmallLeNet() => new()
    {
        Blocks =
        [
            new() { Channels = 4, KernelSize = 5, Pooling = Pooling.Max },
            new() { Channels = 8, KernelSize = 5, Padding = 0, Pooling = Pooling.Max },
        ],
        HeadSizes = [32],
    };
}
