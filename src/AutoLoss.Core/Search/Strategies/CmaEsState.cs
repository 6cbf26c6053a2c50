namespace AutoLoss.Core.Search;

/// <summary>Everything <see cref="CmaEsStrategy"/> needs to continue: the distribution N(m, sigma^2 C), its evolution
/// paths, the generation's samples and their fitness. JSON-serialisable (jagged arrays).</summary>
internal sealed class CmaEsState
{
    public int Seed { get; set; }
    public int Generation { get; set; }
    public bool? HigherIsBetter { get; set; }
    public double[] Mean { get; set; } = [];
    public double Sigma { get; set; }
    public double[][] Covariance { get; set; } = [];
    public double[] SigmaPath { get; set; } = [];
    public double[] CovariancePath { get; set; } = [];
    /// <summary>The generation's samples x_k (null until drawn) and how many were proposed.</summary>
    public double[][]? Samples { get; set; }
    public int Proposed { get; set; }
    /// <summary>Fitness of each told sample (NaN until told).</summary>
    public double[] Fitness { get; set; } = [];
    public List<CmaEsGeneration> History { get; set; } = [];
}

/// <summary>One completed CMA-ES generation: its best and mean fitness, the best sample, and sigma after the update.</summary>
public sealed record CmaEsGeneration(int Generation, double BestFitness, double MeanFitness, double[] Best, double Sigma);
