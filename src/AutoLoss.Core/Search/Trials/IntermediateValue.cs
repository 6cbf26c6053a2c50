namespace AutoLoss.Core.Search;

/// <summary>A value of the search metric that an evaluation reported part-way, e.g. the validation error after an epoch.
/// Early-stopping rules compare trials by these values at equal steps.</summary>
/// <param name="Step">The evaluator's progress counter (epoch, training step); strictly increasing within a trial.</param>
/// <param name="Value">The metric's value at <paramref name="Step"/>, in the direction of the search's objective.</param>
public readonly record struct IntermediateValue(int Step, double Value);
