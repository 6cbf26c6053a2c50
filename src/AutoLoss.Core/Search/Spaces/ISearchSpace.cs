namespace AutoLoss.Core.Search;

/// <summary>
/// What is searched: the set of candidates a strategy may propose, described by how to draw one at random and, optionally,
/// when two candidates are the same.
/// </summary>
/// <typeparam name="TCandidate">The candidate type: token sequences (architectures), expression texts (losses),
/// parameter vectors (polynomial losses).</typeparam>
public interface ISearchSpace<TCandidate>
{
    /// <summary>Draws one candidate. Must depend only on the values drawn from <paramref name="random"/>, so a seeded
    /// strategy can replay its draws to restore its state.</summary>
    TCandidate Sample(Random random);

    /// <summary>A text identifying <paramref name="candidate"/> up to equivalence (a canonical form), used to avoid
    /// proposing the same candidate twice; null (the default) when candidates need no de-duplication.</summary>
    string? Key(TCandidate candidate) => null;
}
