namespace AutoLoss.Core.Search;

/// <summary>A trial together with how it ended: the unit a search reports as progress and keeps in its result.</summary>
/// <typeparam name="TCandidate">What is searched.</typeparam>
/// <param name="Trial">The trial that ran.</param>
/// <param name="Result">Its outcome.</param>
public sealed record FinishedTrial<TCandidate>(Trial<TCandidate> Trial, TrialResult Result);
