namespace AutoLoss.Core.Students.Convolutional;

/// <summary>How one weight tensor of a <see cref="ConvNetSpec"/> network starts.</summary>
internal enum ParameterInit
{
    /// <summary>Kaiming-uniform with a = sqrt(5), PyTorch's default for convolutions and linear layers.</summary>
    Weight,
    /// <summary>Uniform in +-1/sqrt(fan_in), PyTorch's default bias.</summary>
    Bias,
    /// <summary>Ones (a batch norm's scale gamma).</summary>
    Ones,
    /// <summary>Zeros (a batch norm's shift beta).</summary>
    Zeros,
}

/// <summary>A named weight tensor in parameter order.</summary>
internal sealed record ParameterSlot(string Name, long[] Shape, ParameterInit Init, long FanIn);

/// <summary>One convolution -> optional batch norm, by index into the parameter list (and the batch-norm statistics list).</summary>
internal sealed record ConvUnit(int Weight, int? Bias, int? NormScale, int? NormStatistics, int Stride, int Padding);

/// <summary>The units of one <see cref="ConvBlock"/>: its first convolution, and for a residual block the second and the
/// shortcut projection (null: the identity).</summary>
internal sealed record BlockUnits(ConvBlock Block, ConvUnit First, ConvUnit? Second, ConvUnit? Shortcut);

/// <summary>
/// The network a <see cref="ConvNetSpec"/> describes for given input and output sizes: every weight tensor in order,
/// which layer uses which, the batch-norm statistics, and the spatial size after every block. Built once and checked
/// before any tensor exists, so an input too small for the blocks is refused naming the block and the sizes.
/// </summary>
internal sealed class ConvNetLayout
{
    private readonly List<ParameterSlot> _parameters = [];
    private readonly List<(string Name, int Channels)> _statistics = [];

    public ConvNetLayout(ConvNetSpec spec, int outputSize, string optionName)
    {
        Spec = spec;
        int channels = spec.Channels, height = spec.Height, width = spec.Width;
        long activations = 0;
        for (int b = 0; b < spec.Blocks.Length; b++)
        {
            var block = spec.Blocks[b];
            string name = $"block{b}";
            int pad = block.EffectivePadding;
            int outH = (height + 2 * pad - block.KernelSize) / block.Stride + 1, outW = (width + 2 * pad - block.KernelSize) / block.Stride + 1;
            if (height + 2 * pad < block.KernelSize || width + 2 * pad < block.KernelSize)
                throw new ArgumentException(
                    $"{optionName}.Blocks[{b}] ({block}) gets a {height}x{width} input, smaller than its {block.KernelSize}x{block.KernelSize} kernel with padding {pad}; " +
                    "use fewer or smaller blocks, more padding, or a larger image (mlContext.Transforms.ResizeImages).", optionName);
            var first = AddConv(name + "_conv1", channels, block.Channels, block.KernelSize, block.Stride, pad, block.BatchNorm);
            ConvUnit? second = null, shortcut = null;
            if (block.Residual)
            {
                second = AddConv(name + "_conv2", block.Channels, block.Channels, block.KernelSize, 1, block.KernelSize / 2, block.BatchNorm);
                if (block.Stride != 1 || channels != block.Channels)
                    shortcut = AddConv(name + "_shortcut", channels, block.Channels, 1, block.Stride, 0, block.BatchNorm);
            }
            Blocks.Add(new BlockUnits(block, first, second, shortcut));
            activations += (block.Residual ? 3L : 1L) * (block.BatchNorm ? 2 : 1) * block.Channels * outH * outW;
            (channels, height, width) = (block.Channels, outH, outW);
            if (block.Pooling != Pooling.None)
            {
                if (height < block.PoolSize || width < block.PoolSize)
                    throw new ArgumentException(
                        $"{optionName}.Blocks[{b}] ({block}) pools a {height}x{width} map with a {block.PoolSize}x{block.PoolSize} window; " +
                        "remove the pooling, use fewer blocks, or a larger image (mlContext.Transforms.ResizeImages).", optionName);
                (height, width) = (height / block.PoolSize, width / block.PoolSize);
                activations += (long)channels * height * width;
            }
        }
        FlatFeatures = spec.GlobalAveragePooling ? channels : channels * height * width;
        int inWidth = FlatFeatures;
        foreach (var (h, i) in spec.HeadSizes.Select((h, i) => (h, i)).Append((outputSize, -1)))
        {
            string layer = i < 0 ? "output" : $"dense{i}";
            Dense.Add((Add(layer + "_weight", [h, inWidth], ParameterInit.Weight, inWidth), Add(layer + "_bias", [h], ParameterInit.Bias, inWidth)));
            activations += h;
            inWidth = h;
        }
        ActivationsPerRow = activations;
    }

    public ConvNetSpec Spec { get; }

    /// <summary>Every weight tensor, in the order of the built module's <c>parameters()</c>.</summary>
    public IReadOnlyList<ParameterSlot> Parameters => _parameters;

    /// <summary>Batch-norm layers: each keeps a running mean and variance of <c>Channels</c> values.</summary>
    public IReadOnlyList<(string Name, int Channels)> NormStatistics => _statistics;

    public List<BlockUnits> Blocks { get; } = [];

    /// <summary>The dense head's (weight, bias) indices, the output layer last.</summary>
    public List<(int Weight, int Bias)> Dense { get; } = [];

    /// <summary>Features entering the dense head (flattened maps, or channels after global average pooling).</summary>
    public int FlatFeatures { get; }

    /// <summary>Activation values one row produces in a forward pass.</summary>
    public long ActivationsPerRow { get; }

    private ConvUnit AddConv(string name, int inChannels, int outChannels, int kernel, int stride, int padding, bool batchNorm)
    {
        long fanIn = (long)inChannels * kernel * kernel;
        int weight = Add(name + "_weight", [outChannels, inChannels, kernel, kernel], ParameterInit.Weight, fanIn);
        int? bias = batchNorm ? null : Add(name + "_bias", [outChannels], ParameterInit.Bias, fanIn);
        int? scale = null, statistics = null;
        if (batchNorm)
        {
            scale = Add(name + "_bn_weight", [outChannels], ParameterInit.Ones, fanIn);
            Add(name + "_bn_bias", [outChannels], ParameterInit.Zeros, fanIn);
            statistics = _statistics.Count;
            _statistics.Add((name + "_bn", outChannels));
        }
        return new ConvUnit(weight, bias, scale, statistics, stride, padding);
    }

    private int Add(string name, long[] shape, ParameterInit init, long fanIn)
    {
        _parameters.Add(new ParameterSlot(name, shape, init, fanIn));
        return _parameters.Count - 1;
    }
}
