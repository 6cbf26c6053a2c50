using AutoLoss.Core.Search.LossEvolution;

namespace AutoLoss;

/// <summary>
/// Settings of the AutoLoss-Zero evolution (<see cref="ExpressionEvolutionStrategy"/>). Defaults follow the public
/// AutoLoss-Zero-style searches: population 25, crossover 0.7, mutation 0.25, elitism 5%, tournaments of 4, trees at
/// most 10 levels high.
/// </summary>
public sealed class ExpressionEvolutionOptions
{
    /// <summary>Individuals per generation. Default 25.</summary>
    public int PopulationSize { get; set; } = 25;

    /// <summary>Generations, counting the initial random one; the strategy proposes nothing after them. Default 50.</summary>
    public int Generations { get; set; } = 50;

    /// <summary>Probability that a child is the crossover of two tournament winners (else a copy of one). Default 0.7.</summary>
    public double CrossoverProbability { get; set; } = 0.7;

    /// <summary>Probability that a child is then mutated. Default 0.25.</summary>
    public double MutationProbability { get; set; } = 0.25;

    /// <summary>Fraction of the best individuals carried unchanged into the next generation (at least one). Default 0.05.</summary>
    public double EliteFraction { get; set; } = 0.05;

    /// <summary>Individuals drawn per tournament; the fittest is the parent. Default 4.</summary>
    public int TournamentSize { get; set; } = 4;

    /// <summary>Height limit of every tree (a leaf has height 1). Default 10.</summary>
    public int MaxHeight { get; set; } = 10;

    /// <summary>Height limit of the initial random trees. Default 4.</summary>
    public int MaxInitialHeight { get; set; } = ExpressionSearchSpace.DefaultMaxInitialHeight;

    /// <summary>Expressions placed in the initial generation before the random ones (e.g. a known loss to improve on);
    /// empty (the default) searches from scratch, as AutoLoss-Zero does.</summary>
    public IReadOnlyList<LossExpression> InitialExpressions { get; set; } = [];

    /// <summary>The loss-rejection protocol run on every new candidate; null turns it off. Default: the protocol's defaults.</summary>
    public LossRejectionProtocol? Rejection { get; set; } = new();

    /// <summary>When true (default), a candidate whose gradients on a fixed probe equal an evaluated candidate's is not
    /// trained: it takes that candidate's fitness.</summary>
    public bool GradientEquivalenceCheck { get; set; } = true;

    /// <summary>Candidates drawn in a row that fail the height, input, rejection or duplicate checks (or are equivalent
    /// to a trained one) before the strategy gives up on the generation. Default 2000.</summary>
    public int MaxAttemptsPerCandidate { get; set; } = 2000;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range and the fix.</summary>
    public void Validate()
    {
        Require(PopulationSize >= 2, nameof(PopulationSize), PopulationSize, "at least 2 (default 25)");
        Require(Generations >= 1, nameof(Generations), Generations, "at least 1 (default 50)");
        Require(CrossoverProbability is >= 0 and <= 1, nameof(CrossoverProbability), CrossoverProbability, "in [0, 1] (default 0.7)");
        Require(MutationProbability is >= 0 and <= 1, nameof(MutationProbability), MutationProbability, "in [0, 1] (default 0.25)");
        Require(EliteFraction is >= 0 and < 1, nameof(EliteFraction), EliteFraction, "in [0, 1) (default 0.05)");
        Require(TournamentSize >= 1, nameof(TournamentSize), TournamentSize, "at least 1 (default 4)");
        Require(MaxInitialHeight >= 2, nameof(MaxInitialHeight), MaxInitialHeight, "at least 2 (default 4)");
        Require(MaxHeight >= MaxInitialHeight, nameof(MaxHeight), MaxHeight, $"at least MaxInitialHeight ({MaxInitialHeight}; default 10)");
        Require(MaxAttemptsPerCandidate >= 1, nameof(MaxAttemptsPerCandidate), MaxAttemptsPerCandidate, "at least 1 (default 2000)");
        ArgumentNullException.ThrowIfNull(InitialExpressions, nameof(InitialExpressions));
        foreach (var e in InitialExpressions)
            if (e is null || !e.UsesPrediction || !e.UsesLabel || e.Height > MaxHeight)
                throw new ArgumentException($"InitialExpressions holds \"{e}\"; every initial expression must use p or z and y and be at most MaxHeight ({MaxHeight}) high.", nameof(InitialExpressions));
        Rejection?.Validate();
    }

    private static void Require(bool ok, string name, object value, string range)
    {
        if (!ok) throw new ArgumentOutOfRangeException(name, value, $"{name} is {value}; it must be {range}.");
    }
}
