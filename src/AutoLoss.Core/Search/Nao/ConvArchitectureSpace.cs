using AutoLoss.Core.Students.Convolutional;

namespace AutoLoss;

/// <summary>
/// Convolutional students (<see cref="ConvNetSpec"/>) as token sequences: [blocks (1..<see cref="MaxBlocks"/>), then per
/// block: channels, kernel, pooling, batch norm, residual; then the dense head, the activation]. Blocks beyond the
/// count do not change the architecture (the space's symmetry). Images are <see cref="ImageChannels"/> x
/// <see cref="ImageHeight"/> x <see cref="ImageWidth"/>; same-padding convolutions, pooling halves the map.
/// </summary>
public sealed class ConvArchitectureSpace : IArchitectureSpace
{
    private const int PerBlock = 5;

    /// <summary>A space for images of the given shape with up to <paramref name="maxBlocks"/> blocks (default 3).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public ConvArchitectureSpace(int imageChannels = 1, int imageHeight = 28, int imageWidth = 28, int maxBlocks = 3)
    {
        if (imageChannels < 1 || imageHeight < 1 || imageWidth < 1) throw new ArgumentOutOfRangeException(nameof(imageChannels), "The image shape must be positive.");
        if (maxBlocks < 1) throw new ArgumentOutOfRangeException(nameof(maxBlocks), maxBlocks, "maxBlocks must be at least 1 (default 3).");
        (ImageChannels, ImageHeight, ImageWidth, MaxBlocks) = (imageChannels, imageHeight, imageWidth, maxBlocks);
        var sizes = new List<int> { maxBlocks };
        for (int b = 0; b < maxBlocks; b++) sizes.AddRange([ChannelChoices.Count, KernelChoices.Count, PoolingChoices.Count, 2, 2]);
        sizes.AddRange([HeadChoices.Count, ActivationChoices.Count]);
        PositionSizes = sizes;
    }

    /// <summary>Image channels.</summary>
    public int ImageChannels { get; }

    /// <summary>Image height.</summary>
    public int ImageHeight { get; }

    /// <summary>Image width.</summary>
    public int ImageWidth { get; }

    /// <summary>Most convolution blocks.</summary>
    public int MaxBlocks { get; }

    /// <summary>Output channels a block may have.</summary>
    public static IReadOnlyList<int> ChannelChoices { get; } = [8, 16, 32, 64];

    /// <summary>Kernel sizes a block may have.</summary>
    public static IReadOnlyList<int> KernelChoices { get; } = [3, 5];

    /// <summary>Pooling after a block.</summary>
    public static IReadOnlyList<Pooling> PoolingChoices { get; } = [Pooling.None, Pooling.Max, Pooling.Average];

    /// <summary>Dense heads: none, or one hidden layer of 64 or 128 units.</summary>
    public static IReadOnlyList<int[]> HeadChoices { get; } = [[], [64], [128]];

    /// <summary>Activations.</summary>
    public static IReadOnlyList<Activation> ActivationChoices { get; } = [Activation.Relu, Activation.Gelu];

    /// <inheritdoc />
    public IReadOnlyList<int> PositionSizes { get; }

    /// <inheritdoc />
    public int[] Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var tokens = PositionSizes.Select(size => random.Next(size)).ToArray();
        return Canonical(tokens);
    }

    /// <inheritdoc />
    public string? Key(int[] candidate) => string.Join(",", Canonical(candidate));

    /// <inheritdoc />
    public StudentSpec Decode(int[] tokens)
    {
        Check(tokens);
        int count = tokens[0] + 1;
        return new ConvNetSpec
        {
            Channels = ImageChannels, Height = ImageHeight, Width = ImageWidth,
            Blocks = Enumerable.Range(0, count).Select(b =>
            {
                int at = 1 + b * PerBlock;
                return new ConvBlock
                {
                    Channels = ChannelChoices[tokens[at]], KernelSize = KernelChoices[tokens[at + 1]], Pooling = PoolingChoices[tokens[at + 2]],
                    BatchNorm = tokens[at + 3] == 1, Residual = tokens[at + 4] == 1,
                };
            }).ToArray(),
            HeadSizes = HeadChoices[tokens[^2]],
            Activation = ActivationChoices[tokens[^1]],
        };
    }

    /// <inheritdoc />
    public int[] Encode(StudentSpec spec)
    {
        if (spec is not ConvNetSpec net) throw new ArgumentException($"The convolutional space encodes ConvNetSpec students; {spec?.GetType().Name ?? "null"} is not one.", nameof(spec));
        if (net.Blocks.Length is 0 || net.Blocks.Length > MaxBlocks) throw new ArgumentException($"The student has {net.Blocks.Length} blocks; this space has 1 to {MaxBlocks}.", nameof(spec));
        var tokens = new int[PositionSizes.Count];
        tokens[0] = net.Blocks.Length - 1;
        for (int b = 0; b < net.Blocks.Length; b++)
        {
            var block = net.Blocks[b];
            if (block.Stride != 1 || block.Padding is not null || block.Dropout != 0 || block.PoolSize != 2)
                throw new ArgumentException($"Block {b} uses a stride, padding, dropout or pool size this space does not have.", nameof(spec));
            int at = 1 + b * PerBlock;
            tokens[at] = Index(ChannelChoices, block.Channels, b, "channels");
            tokens[at + 1] = Index(KernelChoices, block.KernelSize, b, "kernel size");
            tokens[at + 2] = Index(PoolingChoices, block.Pooling, b, "pooling");
            tokens[at + 3] = block.BatchNorm ? 1 : 0;
            tokens[at + 4] = block.Residual ? 1 : 0;
        }
        tokens[^2] = HeadChoices.Select((h, i) => (h, i)).FirstOrDefault(x => x.h.SequenceEqual(net.HeadSizes), (null!, -1)).Item2 is var head and >= 0
            ? head : throw new ArgumentException($"The dense head [{string.Join(", ", net.HeadSizes)}] is not in this space.", nameof(spec));
        tokens[^1] = Index(ActivationChoices, net.Activation, -1, "activation");
        if (net.GlobalAveragePooling || net.HeadDropout != 0) throw new ArgumentException("Global average pooling and head dropout are not in this space.", nameof(spec));
        return tokens;
    }

    /// <inheritdoc />
    public int[] Canonical(int[] tokens)
    {
        Check(tokens);
        var canonical = (int[])tokens.Clone();
        for (int i = 1 + (tokens[0] + 1) * PerBlock; i < 1 + MaxBlocks * PerBlock; i++) canonical[i] = 0;
        return canonical;
    }

    /// <inheritdoc />
    public IReadOnlyList<int[]> Equivalents(int[] tokens, int count, Random random)
    {
        var canonical = Canonical(tokens);
        int unused = 1 + (canonical[0] + 1) * PerBlock;
        if (unused >= 1 + MaxBlocks * PerBlock) return [];
        var result = new List<int[]>();
        for (int k = 0; k < count; k++)
        {
            var other = (int[])canonical.Clone();
            for (int i = unused; i < 1 + MaxBlocks * PerBlock; i++) other[i] = random.Next(PositionSizes[i]);
            if (!other.AsSpan().SequenceEqual(canonical)) result.Add(other);
        }
        return result;
    }

    /// <inheritdoc />
    public long ParameterCount(int[] tokens, int inputs, int outputs) =>
        new ConvNetLayout((ConvNetSpec)Decode(tokens), outputs, "Student").Parameters.Sum(p => p.Shape.Aggregate(1L, (a, b) => a * b));

    private void Check(int[] tokens) => Core.Search.Nao.ArchitectureTokens.Check(tokens, PositionSizes);

    private static int Index<T>(IReadOnlyList<T> values, T value, int block, string what)
    {
        for (int i = 0; i < values.Count; i++)
            if (EqualityComparer<T>.Default.Equals(values[i], value)) return i;
        throw new ArgumentException($"{(block >= 0 ? $"Block {block}'s" : "The")} {what} {value} is not in this space ({string.Join(", ", values)}).", "spec");
    }
}
