using AutoLoss.Core.Losses.Embedding;
using AutoLoss.Core.Teaching;

namespace AutoLoss;

/// <summary>
/// The margin loss (<see cref="MarginLoss"/>, Wu et al. 2017) with its boundary beta learned beside the student, as in
/// the paper: beta is a parameter of the loss that gradient descent moves to where positive and negative distances
/// separate best (its gradient is the number of active negative pairs minus the number of active positive pairs, so it
/// settles between them). Fixed beta: <c>LossOptions.PerExample(() =&gt; new MarginLoss())</c>.
/// </summary>
public sealed class MarginLossOptions : LossOptions
{
    /// <summary>alpha, the margin around the boundary, in (0, 1). Default 0.2.</summary>
    public double Alpha { get; set; } = 0.2;

    /// <summary>beta's starting value, in (alpha, 2 - alpha); beta stays in that range. Default 1.2.</summary>
    public double InitialBoundary { get; set; } = 1.2;

    /// <summary>The learning rate of beta's plain SGD steps (one per student step). Default 0.01. 0 keeps beta fixed.</summary>
    public double BoundaryLearningRate { get; set; } = 0.01;

    /// <summary>Raised after every epoch with the epoch (0-based) and beta's value then (for monitoring; also logged).</summary>
    public event Action<int, double>? BoundaryChanged;

    /// <inheritdoc />
    public override void Validate(TrainingTask task, string optionName)
    {
        EmbeddingPairs.Require(task, "the margin loss", optionName);
        if (!(Alpha > 0 && Alpha < 1))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.Alpha is {Alpha}; it must be in (0, 1) so that beta has room in (alpha, 2 - alpha) (e.g. 0.2).");
        if (!(InitialBoundary > Alpha && InitialBoundary < 2 - Alpha))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.InitialBoundary is {InitialBoundary}; it must be in (Alpha, 2 - Alpha) = ({Alpha}, {2 - Alpha}) (e.g. 1.2).");
        if (!(BoundaryLearningRate >= 0) || !double.IsFinite(BoundaryLearningRate))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.BoundaryLearningRate is {BoundaryLearningRate}; it must be a finite number >= 0 (e.g. 0.01).");
    }

    /// <inheritdoc />
    public override ILossTeacher CreateTeacher(TrainingTask task)
    {
        Validate(task, "Loss");
        return new MarginBoundaryTeacher(this);
    }

    internal void OnBoundaryChanged(int epoch, double beta) => BoundaryChanged?.Invoke(epoch, beta);

    /// <inheritdoc />
    public override string ToString() => $"margin loss (alpha {Alpha}, beta from {InitialBoundary}, learned at {BoundaryLearningRate})";
}
