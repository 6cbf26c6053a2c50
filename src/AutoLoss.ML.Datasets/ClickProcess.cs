namespace AutoLoss;

/// <summary>One categorical field of <see cref="ClickProcess"/>: its column name, its number of values and how its
/// values are written.</summary>
/// <param name="Name">Column name in the generated view (e.g. <c>user_id</c>); unique among the fields, not <c>Label</c>
/// or <c>Hard</c>.</param>
/// <param name="Cardinality">Number of values, at least 1. Value <c>k</c> (0-based) is the <c>k</c>-th most frequent.</param>
/// <param name="Prefix">Text before the value index (value 123 of prefix <c>u</c> is <c>u123</c>), so the values of
/// different fields differ even when their columns are concatenated before hashing; <c>null</c> uses
/// <c><paramref name="Name"/> + "_"</c>.</param>
public sealed record ClickField(string Name, int Cardinality, string? Prefix = null)
{
    /// <summary>The text of value <paramref name="index"/>: the prefix followed by the index.</summary>
    public string ValueText(int index) => (Prefix ?? Name + "_") + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// A seeded click-through-rate process standing in for Criteo/Avazu-like click logs, with known structure. Generate rows
/// of it with <see cref="ClickData.Generate"/>; rows of different row seeds come from the same process, and another
/// <see cref="Seed"/> (<c>process with { Seed = 2 }</c>, optionally with other <see cref="Fields"/>) gives another
/// process for transfer experiments.
/// </summary>
/// <remarks>
/// <para>How a row is drawn. Each field's value is drawn independently, Zipf-like: value <c>k</c> (0-based) with
/// probability proportional to <c>(k + 1)^-ZipfExponent</c>, so a few values are frequent and most are rare.</para>
/// <para>Hidden parameters, all drawn from <see cref="Seed"/>: every value of every field has a first-order weight
/// <c>w ~ N(0, FirstOrderScale^2 / F)</c> (F fields) and a latent vector <c>e ~ N(0, I)</c> of
/// <see cref="LatentDimension"/> components; every combination of the three <see cref="HardFields"/> values is hard with
/// probability <see cref="HardFraction"/>, independently.</para>
/// <para>The click logit of an easy row is <c>b + sum_f w_f + InteractionScale / sqrt(P) * sum_(i,j) &lt;e_i, e_j&gt; /
/// sqrt(LatentDimension)</c>, the sum over the P pairs of <see cref="Interactions"/> (a factorization-machine structure).
/// The logit of a hard row is only <c>b + HardScale * sum_d e_a[d] e_b[d] e_c[d] / sqrt(LatentDimension)</c>, a
/// third-order term of the three hard fields: a function of the row, so learnable, but not by first-order weights or
/// pairwise factors, so it is learnt slowly. Each term has about unit variance before its scale. The bias <c>b</c> is
/// set so that the mean click probability <c>sigmoid(logit)</c> over rows is <see cref="BaseRate"/>.</para>
/// <para>The clean click is drawn with probability <c>sigmoid(logit)</c>; the observed <c>Label</c> is the clean click
/// flipped with probability <see cref="NoiseRate"/>, so the observed click rate is about <see cref="ObservedClickRate"/>.</para>
/// <para>Equality compares the lists by reference; the defaults are shared instances, so two default processes are equal.</para>
/// </remarks>
/// <param name="Seed">Seed of the hidden parameters (weights, latent vectors, hard combinations, the bias).</param>
public sealed record ClickProcess(int Seed)
{
    private static readonly ClickField[] DefaultFields =
    [
        new("user_id", 100_000, "u"), new("user_segment", 50, "seg"), new("user_country", 40, "cty"),
        new("item_id", 20_000, "i"), new("item_category", 200, "cat"), new("advertiser", 2_000, "adv"),
        new("hour", 24, "h"), new("weekday", 7, "wd"), new("device", 5, "dev"), new("site", 500, "site"),
    ];

    private static readonly (string, string)[] DefaultInteractions =
    [
        ("user_id", "item_id"), ("user_segment", "item_category"), ("user_country", "advertiser"),
        ("item_category", "hour"), ("advertiser", "site"), ("user_segment", "device"),
    ];

    /// <summary>The categorical fields, one text column each. Default: user fields (user_id 100,000 values, prefix
    /// <c>u</c>; user_segment 50, <c>seg</c>; user_country 40, <c>cty</c>), item fields (item_id 20,000, <c>i</c>;
    /// item_category 200, <c>cat</c>; advertiser 2,000, <c>adv</c>) and context fields (hour 24, <c>h</c>; weekday 7,
    /// <c>wd</c>; device 5, <c>dev</c>; site 500, <c>site</c>). Replacing the fields usually means replacing
    /// <see cref="Interactions"/> and <see cref="HardFields"/>, which name fields.</summary>
    public IReadOnlyList<ClickField> Fields { get; init; } = DefaultFields;

    /// <summary>The field pairs whose latent vectors interact in an easy row's logit. Default: (user_id, item_id),
    /// (user_segment, item_category), (user_country, advertiser), (item_category, hour), (advertiser, site),
    /// (user_segment, device). May be empty.</summary>
    public IReadOnlyList<(string First, string Second)> Interactions { get; init; } = DefaultInteractions;

    /// <summary>The three distinct fields whose value combination decides whether a row is hard and whose latent
    /// vectors make a hard row's third-order logit. Default: (user_segment, item_category, site).</summary>
    public (string First, string Second, string Third) HardFields { get; init; } = ("user_segment", "item_category", "site");

    /// <summary>Skew of every field's value frequencies: value <c>k</c> is drawn with probability proportional to
    /// <c>(k + 1)^-ZipfExponent</c>; 0 is uniform. Finite and >= 0; default 1.1.</summary>
    public double ZipfExponent { get; init; } = 1.1;

    /// <summary>Components of each value's latent vector, at least 1; default 8.</summary>
    public int LatentDimension { get; init; } = 8;

    /// <summary>Mean clean click probability (before label noise), in (0, 1); default 0.15.</summary>
    public double BaseRate { get; init; } = 0.15;

    /// <summary>Probability that a row's click label is flipped (a noisy click or a lost one), in [0, 0.5); default 0.05.</summary>
    public double NoiseRate { get; init; } = 0.05;

    /// <summary>Probability that a combination of the <see cref="HardFields"/> values is hard, about the share of hard
    /// rows; in [0, 1], default 0.2.</summary>
    public double HardFraction { get; init; } = 0.2;

    /// <summary>Standard deviation of the sum of an easy row's first-order weights; finite and >= 0, default 1.5.</summary>
    public double FirstOrderScale { get; init; } = 1.5;

    /// <summary>Standard deviation of the sum of an easy row's pairwise interactions; finite and >= 0, default 1.5.</summary>
    public double InteractionScale { get; init; } = 1.5;

    /// <summary>Standard deviation of a hard row's third-order term; finite and >= 0, default 3.</summary>
    public double HardScale { get; init; } = 3.0;

    /// <summary>The expected rate of observed clicks, <c>BaseRate + NoiseRate * (1 - 2 * BaseRate)</c> (0.185 with the
    /// defaults). With the defaults the true click probabilities reach an AUC of about 0.80 (real click logs: 0.75-0.80).</summary>
    public double ObservedClickRate => BaseRate + NoiseRate * (1 - 2 * BaseRate);

    /// <summary>Checks the settings and returns each interaction and hard field as a field index.</summary>
    internal ((int, int)[] Pairs, int[] Hard) Validate()
    {
        if (Fields is null || Fields.Count == 0) throw new ArgumentOutOfRangeException(nameof(Fields), "A click process needs at least one field.");
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int f = 0; f < Fields.Count; f++)
        {
            var field = Fields[f] ?? throw new ArgumentOutOfRangeException(nameof(Fields), $"Field {f} is null.");
            if (string.IsNullOrEmpty(field.Name) || field.Name is ClickData.LabelColumn or ClickData.HardColumn || !index.TryAdd(field.Name, f))
                throw new ArgumentOutOfRangeException(nameof(Fields), $"Field {f} is named '{field.Name}'; names must be non-empty, unique and not '{ClickData.LabelColumn}' or '{ClickData.HardColumn}'.");
            if (field.Cardinality < 1) throw new ArgumentOutOfRangeException(nameof(Fields), $"Field '{field.Name}' has cardinality {field.Cardinality}; it must be >= 1.");
        }
        int Find(string name, string parameter) => name is not null && index.TryGetValue(name, out int f)
            ? f : throw new ArgumentOutOfRangeException(parameter, $"'{name}' is not one of the fields.");
        if (Interactions is null) throw new ArgumentOutOfRangeException(nameof(Interactions), "Interactions must not be null (use an empty list).");
        var pairs = Interactions.Select(p => (Find(p.First, nameof(Interactions)), Find(p.Second, nameof(Interactions)))).ToArray();
        int[] hard = [Find(HardFields.First, nameof(HardFields)), Find(HardFields.Second, nameof(HardFields)), Find(HardFields.Third, nameof(HardFields))];
        if (hard.Distinct().Count() != 3) throw new ArgumentOutOfRangeException(nameof(HardFields), "The three hard fields must be distinct.");
        if (!(ZipfExponent >= 0) || !double.IsFinite(ZipfExponent)) throw new ArgumentOutOfRangeException(nameof(ZipfExponent), $"ZipfExponent is {ZipfExponent}; it must be finite and >= 0.");
        if (LatentDimension < 1) throw new ArgumentOutOfRangeException(nameof(LatentDimension), $"LatentDimension is {LatentDimension}; it must be >= 1.");
        if (!(BaseRate > 0 && BaseRate < 1)) throw new ArgumentOutOfRangeException(nameof(BaseRate), $"BaseRate is {BaseRate}; it must be in (0, 1).");
        if (!(NoiseRate >= 0 && NoiseRate < 0.5)) throw new ArgumentOutOfRangeException(nameof(NoiseRate), $"NoiseRate is {NoiseRate}; it must be in [0, 0.5).");
        if (!(HardFraction >= 0 && HardFraction <= 1)) throw new ArgumentOutOfRangeException(nameof(HardFraction), $"HardFraction is {HardFraction}; it must be in [0, 1].");
        RequireScale(FirstOrderScale, nameof(FirstOrderScale));
        RequireScale(InteractionScale, nameof(InteractionScale));
        RequireScale(HardScale, nameof(HardScale));
        return (pairs, hard);
    }

    private static void RequireScale(double scale, string name)
    {
        if (!(scale >= 0) || !double.IsFinite(scale)) throw new ArgumentOutOfRangeException(name, $"{name} is {scale}; it must be finite and >= 0.");
    }
}
