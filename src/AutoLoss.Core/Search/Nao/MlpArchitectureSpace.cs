namespace AutoLoss;

/// <summary>
/// MLP students as token sequences: [depth, width_1 .. width_D, activation, dropout], with depth 0..<see cref="MaxDepth"/>
/// (0 is a linear student), widths from <see cref="Widths"/>, activations from <see cref="Activations"/> and dropout
/// rates from <see cref="DropoutRates"/>. Widths beyond the depth do not change the architecture: they are the space's
/// symmetry (canonically 0; any value is an equivalent sequence).
/// </summary>
public sealed class MlpArchitectureSpace : IArchitectureSpace
{
    /// <summary>A space of up to <paramref name="maxDepth"/> hidden layers (default 4).</summary>
    /// <exception cref="ArgumentOutOfRangeException">maxDepth is below 1.</exception>
    public MlpArchitectureSpace(int maxDepth = 4)
    {
        if (maxDepth < 1) throw new ArgumentOutOfRangeException(nameof(maxDepth), maxDepth, "maxDepth must be at least 1 (default 4).");
        MaxDepth = maxDepth;
        PositionSizes = [maxDepth + 1, .. Enumerable.Repeat(Widths.Count, maxDepth), Activations.Count, DropoutRates.Count];
    }

    /// <summary>Most hidden layers.</summary>
    public int MaxDepth { get; }

    /// <summary>The hidden-layer widths a layer may have.</summary>
    public static IReadOnlyList<int> Widths { get; } = [16, 32, 64, 128, 256, 512];

    /// <summary>The activations the student may use.</summary>
    public static IReadOnlyList<Activation> Activations { get; } = [Activation.Relu, Activation.Tanh, Activation.Gelu, Activation.LeakyRelu];

    /// <summary>The dropout rates the student may use.</summary>
    public static IReadOnlyList<double> DropoutRates { get; } = [0, 0.1, 0.2, 0.3];

    /// <inheritdoc />
    public IReadOnlyList<int> PositionSizes { get; }

    private int ActivationPosition => MaxDepth + 1;

    private int DropoutPosition => MaxDepth + 2;

    /// <inheritdoc />
    public int[] Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return Canonical(PositionSizes.Select(size => random.Next(size)).ToArray());
    }

    /// <inheritdoc />
    public string? Key(int[] candidate) => string.Join(",", Canonical(candidate));

    /// <inheritdoc />
    public StudentSpec Decode(int[] tokens)
    {
        Check(tokens);
        return new MlpSpec
        {
            HiddenSizes = Enumerable.Range(1, tokens[0]).Select(i => Widths[tokens[i]]).ToArray(),
            Activation = Activations[tokens[ActivationPosition]],
            Dropout = DropoutRates[tokens[DropoutPosition]],
        };
    }

    /// <inheritdoc />
    public int[] Encode(StudentSpec spec)
    {
        if (spec is not MlpSpec mlp) throw new ArgumentException($"The MLP space encodes MlpSpec students; {spec?.GetType().Name ?? "null"} is not one.", nameof(spec));
        if (mlp.HiddenSizes.Length > MaxDepth) throw new ArgumentException($"The student has {mlp.HiddenSizes.Length} hidden layers; this space has at most {MaxDepth}.", nameof(spec));
        var tokens = new int[PositionSizes.Count];
        tokens[0] = mlp.HiddenSizes.Length;
        for (int i = 0; i < mlp.HiddenSizes.Length; i++)
        {
            int width = Index(Widths, mlp.HiddenSizes[i]);
            tokens[1 + i] = width >= 0 ? width : throw new ArgumentException($"Hidden width {mlp.HiddenSizes[i]} is not in this space ({string.Join(", ", Widths)}).", nameof(spec));
        }
        tokens[ActivationPosition] = Index(Activations, mlp.Activation) is var a and >= 0 ? a : throw new ArgumentException($"Activation {mlp.Activation} is not in this space.", nameof(spec));
        tokens[DropoutPosition] = Index(DropoutRates, mlp.Dropout) is var d and >= 0 ? d : throw new ArgumentException($"Dropout {mlp.Dropout} is not in this space ({string.Join(", ", DropoutRates)}).", nameof(spec));
        return tokens;
    }

    /// <inheritdoc />
    public int[] Canonical(int[] tokens)
    {
        Check(tokens);
        var canonical = (int[])tokens.Clone();
        for (int i = tokens[0] + 1; i <= MaxDepth; i++) canonical[i] = 0;
        return canonical;
    }

    /// <inheritdoc />
    public IReadOnlyList<int[]> Equivalents(int[] tokens, int count, Random random)
    {
        var canonical = Canonical(tokens);
        if (canonical[0] == MaxDepth) return [];   // every width matters: no symmetry to use
        var result = new List<int[]>();
        for (int k = 0; k < count; k++)
        {
            var other = (int[])canonical.Clone();
            for (int i = canonical[0] + 1; i <= MaxDepth; i++) other[i] = random.Next(Widths.Count);
            if (!other.AsSpan().SequenceEqual(canonical)) result.Add(other);
        }
        return result;
    }

    /// <inheritdoc />
    public long ParameterCount(int[] tokens, int inputs, int outputs)
    {
        Check(tokens);
        long count = 0;
        int previous = inputs;
        for (int i = 1; i <= tokens[0]; i++)
        {
            int width = Widths[tokens[i]];
            count += (long)previous * width + width;
            previous = width;
        }
        return count + (long)previous * outputs + outputs;
    }

    private void Check(int[] tokens) => Core.Search.Nao.ArchitectureTokens.Check(tokens, PositionSizes);

    private static int Index<T>(IReadOnlyList<T> values, T value)
    {
        for (int i = 0; i < values.Count; i++)
            if (EqualityComparer<T>.Default.Equals(values[i], value)) return i;
        return -1;
    }
}
