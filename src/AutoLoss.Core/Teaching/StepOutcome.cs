namespace AutoLoss.Core.Teaching;

/// <summary>What happened at one student step, reported to the teacher after the optimiser step.</summary>
/// <param name="Step">Zero-based step index t.</param>
/// <param name="Epoch">Zero-based epoch.</param>
/// <param name="Loss">Value of the loss the teacher returned for this step.</param>
/// <param name="BatchSize">Rows in the batch.</param>
public readonly record struct StepOutcome(long Step, int Epoch, double Loss, int BatchSize);
