namespace AutoLoss;

/// <summary>One controller decision of an ALA run on an embedding loss, as raised by
/// <see cref="AlaEmbeddingLossOptions.ActionCompleted"/> (for plots and monitoring) and written to the log.</summary>
/// <param name="Action">Zero-based index t of the decision.</param>
/// <param name="Step">The final student's step at which it was taken.</param>
/// <param name="Progress">Training progress in [0, 1].</param>
/// <param name="Reward">r_{t-1} of the final student's previous window (-1, 0 or +1; 0 at the first decision).</param>
/// <param name="MeanReward">Mean r_{t-1} over all child models.</param>
/// <param name="Baseline">The moving-average baseline b_t after this round.</param>
/// <param name="Metric">The final student's validation reward metric now.</param>
/// <param name="Phi">The final student's Phi_{t+1} (a copy).</param>
public sealed record AlaEmbeddingActionReport(int Action, long Step, double Progress, double Reward, double MeanReward, double Baseline,
    double Metric, IReadOnlyList<double> Phi);
