namespace AutoLoss;

/// <summary>
/// One stage of a <see cref="ConvNetSpec"/>: convolution -> batch norm (optional) -> activation, or a residual block
/// (two such convolutions with a shortcut), then pooling and dropout (both optional).
/// </summary>
public sealed class ConvBlock
{
    /// <summary>Output channels of the convolution(s). Required, positive.</summary>
    public int Channels { get; set; }

    /// <summary>Side of the square convolution kernel. Default 3.</summary>
    public int KernelSize { get; set; } = 3;

    /// <summary>Stride of the (first) convolution. Default 1; 2 halves the height and width.</summary>
    public int Stride { get; set; } = 1;

    /// <summary>Zero padding on every side of the (first) convolution. Default null: "same" padding,
    /// <c>KernelSize / 2</c>, which keeps the height and width at stride 1 for an odd kernel. A residual block always
    /// pads "same" (its shortcut must match), so it accepts only null or <c>KernelSize / 2</c>.</summary>
    public int? Padding { get; set; }

    /// <summary>Batch normalisation after each convolution (the convolution then has no bias). Default false.</summary>
    public bool BatchNorm { get; set; }

    /// <summary>A residual block: conv -> [BN] -> activation -> conv (stride 1) -> [BN], plus a shortcut (the identity,
    /// or a 1x1 convolution [+ BN] when the stride or the channel count changes), then the activation. Default false.</summary>
    public bool Residual { get; set; }

    /// <summary>Pooling after the convolution(s). Default <see cref="AutoLoss.Pooling.None"/>.</summary>
    public Pooling Pooling { get; set; }

    /// <summary>Window side and stride of <see cref="Pooling"/>. Default 2.</summary>
    public int PoolSize { get; set; } = 2;

    /// <summary>Dropout probability after the block (training only), in [0, 1). Default 0.</summary>
    public double Dropout { get; set; }

    /// <summary>The padding the (first) convolution uses.</summary>
    internal int EffectivePadding => Padding ?? KernelSize / 2;

    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="name"/> (e.g. <c>Student.Blocks[1]</c>) and
    /// the fix when a setting is unusable.</summary>
    internal void Validate(string name)
    {
        if (Channels <= 0)
            throw new ArgumentOutOfRangeException(name, $"{name}.Channels is {Channels}; every block needs a positive channel count (e.g. 16).");
        if (KernelSize <= 0)
            throw new ArgumentOutOfRangeException(name, $"{name}.KernelSize is {KernelSize}; it must be positive (e.g. 3).");
        if (Stride <= 0)
            throw new ArgumentOutOfRangeException(name, $"{name}.Stride is {Stride}; it must be positive (1 keeps the size, 2 halves it).");
        if (Padding is < 0)
            throw new ArgumentOutOfRangeException(name, $"{name}.Padding is {Padding}; it must be null (same padding) or >= 0.");
        if (Residual && KernelSize % 2 == 0)
            throw new ArgumentException($"{name} is residual with KernelSize {KernelSize}; a residual block needs an odd kernel (e.g. 3) so that 'same' padding keeps the size.", name);
        if (Residual && Padding is { } p && p != KernelSize / 2)
            throw new ArgumentException($"{name} is residual with Padding {p}; a residual block pads 'same' ({KernelSize / 2}): leave Padding null.", name);
        if (!Enum.IsDefined(Pooling))
            throw new ArgumentOutOfRangeException(name, $"{name}.Pooling value {(int)Pooling} is not a known pooling.");
        if (Pooling != Pooling.None && PoolSize <= 0)
            throw new ArgumentOutOfRangeException(name, $"{name}.PoolSize is {PoolSize}; it must be positive (e.g. 2).");
        if (!(Dropout >= 0 && Dropout < 1))
            throw new ArgumentOutOfRangeException(name, $"{name}.Dropout is {Dropout}; it must be in [0, 1).");
    }

    /// <summary>A copy, so a spec's blocks cannot be changed through another spec.</summary>
    internal ConvBlock Clone() => (ConvBlock)MemberwiseClone();

    /// <inheritdoc />
    public override string ToString()
    {
        var parts = new List<string> { $"{(Residual ? "res" : "conv")}{Channels} k{KernelSize}" };
        if (Stride != 1) parts.Add($"s{Stride}");
        if (Padding is { } p && p != KernelSize / 2) parts.Add($"p{p}");
        if (BatchNorm) parts.Add("bn");
        if (Pooling != Pooling.None) parts.Add($"{(Pooling == Pooling.Max ? "max" : "avg")}{PoolSize}");
        if (Dropout > 0) parts.Add($"drop {Dropout}");
        return string.Join(" ", parts);
    }
}
