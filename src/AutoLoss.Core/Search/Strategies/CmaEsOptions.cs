namespace AutoLoss.Core.Search;

/// <summary>Settings of <see cref="CmaEsStrategy"/>. The learning rates and weights are Hansen's defaults (derived from
/// the dimension and population size) and are not settings.</summary>
public sealed class CmaEsOptions
{
    /// <summary>The initial mean m_0; its length is the dimension n (at least 1).</summary>
    public required IReadOnlyList<double> InitialMean { get; init; }

    /// <summary>The initial step size sigma_0. Default 1.2 (TaylorGLO's setting for its loss parameters).</summary>
    public double InitialSigma { get; init; } = 1.2;

    /// <summary>Candidates per generation, lambda; null (default) uses 4 + floor(3 ln n).</summary>
    public int? PopulationSize { get; init; }

    /// <summary>Generations after which the strategy proposes nothing more. Default 100.</summary>
    public int Generations { get; init; } = 100;

    /// <summary>lambda for this dimension: <see cref="PopulationSize"/> or Hansen's default.</summary>
    public int Lambda => PopulationSize ?? 4 + (int)Math.Floor(3 * Math.Log(InitialMean.Count));

    /// <summary>Throws <see cref="ArgumentException"/> naming the setting out of range and the fix.</summary>
    public void Validate()
    {
        if (InitialMean is null || InitialMean.Count == 0)
            throw new ArgumentException("InitialMean must hold at least one value (its length is the search's dimension).", nameof(InitialMean));
        if (InitialMean.Any(v => !double.IsFinite(v)))
            throw new ArgumentException("InitialMean holds a value that is not finite.", nameof(InitialMean));
        if (!(InitialSigma > 0 && double.IsFinite(InitialSigma)))
            throw new ArgumentOutOfRangeException(nameof(InitialSigma), InitialSigma, "InitialSigma must be positive (default 1.2).");
        if (PopulationSize is < 2)
            throw new ArgumentOutOfRangeException(nameof(PopulationSize), PopulationSize, "PopulationSize must be at least 2, or null for 4 + floor(3 ln n).");
        if (Generations < 1)
            throw new ArgumentOutOfRangeException(nameof(Generations), Generations, "Generations must be at least 1 (default 100).");
    }
}
