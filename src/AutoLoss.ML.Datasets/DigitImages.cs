using System.Globalization;
using Microsoft.ML.Data;

namespace AutoLoss;

/// <summary>One image file of a digit: the input row of an image pipeline
/// (<c>LoadImages -> ResizeImages -> ExtractPixels</c>).</summary>
public sealed class DigitImage
{
    /// <summary>The file's path relative to the folder it was written to.</summary>
    public string ImagePath { get; set; } = "";

    /// <summary>The digit, 0..9, as a float.</summary>
    public float Label { get; set; }
}

/// <summary>
/// The embedded digits as real image files: 28x28 grey PNGs (the same pixel in the R, G and B planes, opaque), so an
/// ML.NET image pipeline can be built and tried on files as it would be on a user's own images. Reading a file back
/// with <c>ExtractPixels(colorsToExtract: ColorBits.Red, scaleImage: 1 / 255f)</c> gives the digit's features to
/// within 1/510 (the PNG holds 8-bit values).
/// </summary>
public static class DigitImages
{
    /// <summary>Writes the first <paramref name="trainCount"/> digits of the fixed training split to
    /// <c>folder/train</c> and the first <paramref name="testCount"/> of the test split to <c>folder/test</c>, named
    /// <c>&lt;index&gt;_&lt;digit&gt;.png</c>, and returns their rows (paths relative to <paramref name="folder"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative or larger than its split.</exception>
    public static (IReadOnlyList<DigitImage> Train, IReadOnlyList<DigitImage> Test) WriteSplit(string folder, int trainCount, int testCount)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentOutOfRangeException.ThrowIfNegative(trainCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(trainCount, Digits.TrainCount);
        ArgumentOutOfRangeException.ThrowIfNegative(testCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(testCount, Digits.TestCount);
        var digits = Digits.LoadArrays();
        return (Write(digits, digits.TrainIndices.AsSpan(0, trainCount), folder, "train"),
                Write(digits, digits.TestIndices.AsSpan(0, testCount), folder, "test"));
    }

    private static List<DigitImage> Write(DigitsArrays digits, ReadOnlySpan<int> indices, string folder, string part)
    {
        Directory.CreateDirectory(Path.Combine(folder, part));
        var rows = new List<DigitImage>(indices.Length);
        var pixels = new byte[Digits.FeatureCount * 4];
        foreach (int index in indices)
        {
            for (int i = 0; i < Digits.FeatureCount; i++)
            {
                byte grey = (byte)Math.Round(Math.Clamp(digits.Features[index * Digits.FeatureCount + i], 0f, 1f) * 255);
                pixels[4 * i] = pixels[4 * i + 1] = pixels[4 * i + 2] = grey;   // B, G, R
                pixels[4 * i + 3] = 255;
            }
            string name = Path.Combine(part, string.Create(CultureInfo.InvariantCulture, $"{index}_{digits.Labels[index]}.png"));
            using var image = MLImage.CreateFromPixels(Digits.ImageSize, Digits.ImageSize, MLPixelFormat.Bgra32, pixels);
            image.Save(Path.Combine(folder, name));
            rows.Add(new DigitImage { ImagePath = name, Label = digits.Labels[index] });
        }
        return rows;
    }
}
