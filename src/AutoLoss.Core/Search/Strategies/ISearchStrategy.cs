namespace AutoLoss.Core.Search;

/// <summary>
/// How candidates are chosen, as an ask/tell loop: the runner asks for candidates, evaluates them, and tells the strategy
/// each outcome. A new search algorithm (NAO, loss evolution, CMA-ES) is a new implementation of this interface and
/// nothing else.
/// </summary>
/// <typeparam name="TCandidate">What is searched.</typeparam>
/// <remarks>
/// The <see cref="SearchRunner{TCandidate}"/> calls the strategy from one thread at a time: <see cref="Ask"/> for a round,
/// then <see cref="Tell"/> once for every trial of that round, in trial-id order, before the next <see cref="Ask"/>.
/// Every trial is told, whatever its status, so a strategy's history matches the search result; a strategy decides
/// which statuses it learns from (<see cref="TrialResult.MetricValue"/> is NaN for failed and cancelled trials).
/// </remarks>
public interface ISearchStrategy<TCandidate>
{
    /// <summary>Proposes up to <paramref name="count"/> candidates to evaluate next. It may return fewer (e.g. the rest of
    /// a generation) and returns none when it has nothing more to propose, which ends the search.</summary>
    IReadOnlyList<TCandidate> Ask(int count);

    /// <summary>Gives the strategy the outcome of a trial whose candidate it proposed.</summary>
    void Tell(Trial<TCandidate> trial, TrialResult result);

    /// <summary>Writes everything needed to continue the search later (random generator position, history, model
    /// parameters). The stream is left open; other data may follow.</summary>
    void Save(Stream stream);

    /// <summary>Replaces this strategy's state with one written by <see cref="Save"/> of the same strategy type built
    /// over the same search space, after which it proposes what the saved strategy would have proposed next.</summary>
    /// <exception cref="InvalidDataException">The stream does not hold this strategy's state.</exception>
    void Restore(Stream stream);
}
