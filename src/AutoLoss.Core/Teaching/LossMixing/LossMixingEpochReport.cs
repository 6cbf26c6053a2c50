namespace AutoLoss;

/// <summary>One epoch of a student trained on a learned loss mixture (<see cref="LossMixingOptions.EpochCompleted"/>).</summary>
/// <param name="Episode">Teacher episode of the student (0-based), or the number of episodes for the final student.</param>
/// <param name="IsFinal">Whether this is the final student.</param>
/// <param name="Epoch">Zero-based epoch.</param>
/// <param name="Temperature">The Gumbel-softmax temperature tau at the end of the epoch.</param>
/// <param name="MeanWeights">Mean mixing weight of each candidate loss over the epoch's training examples, in candidate order.</param>
/// <param name="ValidationError">Validation error of the student after the epoch, or null without validation data.</param>
/// <param name="ControllerUpdates">Controller updates taken so far.</param>
public sealed record LossMixingEpochReport(int Episode, bool IsFinal, int Epoch, double Temperature, IReadOnlyList<double> MeanWeights,
    double? ValidationError, int ControllerUpdates);
