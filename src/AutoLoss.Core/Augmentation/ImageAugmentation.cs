using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>
/// Random changes to training images, drawn afresh for every batch from the run's seed (so a seed reproduces them):
/// shifts by up to <see cref="MaxShift"/> pixels with zero fill (the same as a random crop of the image zero-padded by
/// <see cref="MaxShift"/>) and, optionally, horizontal flips. Only training batches change; validation data and scoring
/// see the images as they are. Needs a student with an image input shape [channels, height, width] (e.g.
/// <see cref="ConvNetSpec"/>).
/// </summary>
public sealed class ImageAugmentation
{
    /// <summary>Largest shift, in pixels, in each direction (drawn uniformly from -MaxShift..MaxShift for rows and for
    /// columns, independently per image). 0 turns shifting off. Default 2.</summary>
    public int MaxShift { get; set; } = 2;

    /// <summary>Mirror each image left-right with probability 1/2. Only for images whose mirror image has the same
    /// label (photos of objects; not digits or text). Default false.</summary>
    public bool HorizontalFlip { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="optionName"/> and the fix when the settings
    /// cannot apply to images of <paramref name="imageShape"/> (the student's input shape; null when it has none).</summary>
    public void Validate(IReadOnlyList<int>? imageShape, string optionName)
    {
        if (imageShape is not { Count: 3 })
            throw new ArgumentException(
                $"{optionName} changes images, but the student has no image input shape [channels, height, width]; use an image student " +
                "(e.g. ConvNetSpec, or a TorchModuleSpec given an inputShape of three dimensions) or set the option to null.", optionName);
        int side = Math.Min(imageShape[1], imageShape[2]);
        if (MaxShift < 0 || MaxShift >= side)
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.MaxShift is {MaxShift}; it must be in [0, {side}) for {imageShape[1]}x{imageShape[2]} images (e.g. 2).");
    }

    /// <inheritdoc />
    public override string ToString() => $"shift {MaxShift}{(HorizontalFlip ? ", flip" : "")}";

    /// <summary>The augmented copy of <paramref name="features"/> [B, C*H*W] (CHW order), with every random choice drawn
    /// from <paramref name="random"/>.</summary>
    internal Tensor Apply(Tensor features, IReadOnlyList<int> imageShape, Random random)
    {
        int rows = (int)features.shape[0], c = imageShape[0], h = imageShape[1], w = imageShape[2];
        using var scope = NewDisposeScope();
        var images = features.view(rows, c, h, w);
        if (MaxShift > 0)
        {
            int s = MaxShift;
            var padded = nn.functional.pad(images, [s, s, s, s]);
            // Offsets 0..2s into the padded image = shifts of -s..s.
            var crops = new Tensor[rows];
            for (int i = 0; i < rows; i++)
                crops[i] = padded[i].narrow(1, random.Next(2 * s + 1), h).narrow(2, random.Next(2 * s + 1), w);
            images = stack(crops);
        }
        if (HorizontalFlip)
        {
            var flip = new bool[rows];
            for (int i = 0; i < rows; i++) flip[i] = random.Next(2) == 1;
            images = where(tensor(flip, device: images.device).view(rows, 1, 1, 1), images.flip(3), images);
        }
        return images.reshape(rows, (long)c * h * w).contiguous().MoveToOuterDisposeScope();
    }
}
