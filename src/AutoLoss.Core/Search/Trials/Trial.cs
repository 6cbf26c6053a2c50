namespace AutoLoss.Core.Search;

/// <summary>
/// One evaluation to run: a candidate from the search space, the id that orders it within its search, and the seed its
/// evaluation must use for every random choice (initial weights, shuffling, dropout), so that the same trial gives the
/// same result wherever and whenever it runs.
/// </summary>
/// <typeparam name="TCandidate">What is searched: an architecture's token sequence, a loss expression's text, a
/// parameter vector. It must round-trip through <see cref="SearchJson"/> so trials can be sent to other machines.</typeparam>
/// <param name="Id">Position of the trial in its search, counted from the run's first trial id; ids are never reused.</param>
/// <param name="Candidate">The candidate to evaluate.</param>
/// <param name="Seed">The evaluation's seed, derived from the search seed and <paramref name="Id"/> by <see cref="TrialSeed"/>.</param>
public sealed record Trial<TCandidate>(int Id, TCandidate Candidate, int Seed);
