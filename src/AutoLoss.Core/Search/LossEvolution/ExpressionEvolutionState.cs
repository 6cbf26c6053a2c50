namespace AutoLoss.Core.Search.LossEvolution;

/// <summary>An expression with its fitness (the search metric of its proxy training run).</summary>
public sealed record ScoredExpression(string Expression, double Fitness);

/// <summary>One closed generation of the evolution: its best and mean fitness and the candidates it cost.</summary>
public sealed record EvolutionGeneration(int Generation, string Best, double BestFitness, double MeanFitness, int Trained, int Rejected, int SkippedEquivalent, int Duplicates);

/// <summary>What the evolution's filters did: how many candidates were trained, rejected by the loss-rejection protocol,
/// skipped as gradient-equivalent to a trained one, met again (duplicates), or refused as malformed (too high, or not
/// using both inputs); and the time the filters themselves took.</summary>
public sealed record EvolutionCounts
{
    /// <summary>Candidates proposed for a training run.</summary>
    public int Trained { get; set; }

    /// <summary>Candidates refused by the loss-rejection protocol (or whose gradients are not finite).</summary>
    public int Rejected { get; set; }

    /// <summary>Candidates that took the fitness of a gradient-equivalent trained candidate.</summary>
    public int SkippedEquivalent { get; set; }

    /// <summary>Candidates whose text had been met before.</summary>
    public int Duplicates { get; set; }

    /// <summary>Malformed children: higher than the limit, or missing the prediction or the label.</summary>
    public int Malformed { get; set; }

    /// <summary>Time spent in the rejection protocol and the equivalence check.</summary>
    public TimeSpan FilterTime { get; set; }
}

/// <summary>Everything <see cref="ExpressionEvolutionStrategy"/> needs to continue a search; JSON-serialisable.</summary>
internal sealed class ExpressionEvolutionState
{
    public int Seed { get; set; }
    public long Draws { get; set; }
    public int Generation { get; set; }
    public int QuotaLeft { get; set; }
    public int InitialUsed { get; set; }
    public bool Finished { get; set; }
    public bool? HigherIsBetter { get; set; }
    public List<ScoredExpression> Population { get; set; } = [];
    public List<ScoredExpression> Offspring { get; set; } = [];
    public List<string> Pending { get; set; } = [];
    public Dictionary<string, double> FitnessByText { get; set; } = [];
    public Dictionary<string, string> SignatureByText { get; set; } = [];
    public Dictionary<string, double> FitnessBySignature { get; set; } = [];
    public HashSet<string> Rejected { get; set; } = [];
    public EvolutionCounts Counts { get; set; } = new();
    public List<EvolutionGeneration> History { get; set; } = [];
    public int GenerationRejected { get; set; }
    public int GenerationSkipped { get; set; }
    public int GenerationDuplicates { get; set; }
    public int GenerationTrained { get; set; }
}
