namespace AutoLoss.Core.Search;

/// <summary>Settings of a <see cref="SearchRunner{TCandidate}"/>: budget, seed, round size, early stopping and the
/// numbering of trials.</summary>
public sealed class SearchRunnerOptions
{
    /// <summary>Default of <see cref="TrialsPerRound"/>.</summary>
    public const int DefaultTrialsPerRound = 8;

    /// <summary>Seed from which every trial's seed is derived (<see cref="TrialSeed.Derive"/>). The strategy has its own.</summary>
    public int Seed { get; set; }

    /// <summary>What the run may spend.</summary>
    public SearchBudget Budget { get; set; } = new();

    /// <summary>
    /// How many candidates the runner asks the strategy for at a time. A round's trials run concurrently (up to
    /// <see cref="SearchBudget.MaxConcurrentTrials"/>), and the strategy and stopper learn of them only when the whole
    /// round has finished. Results depend on this number (an adaptive strategy sees results per round) but not on the
    /// concurrency, which is why it is a separate, machine-independent setting: raise it on machines with more cores.
    /// </summary>
    public int TrialsPerRound { get; set; } = DefaultTrialsPerRound;

    /// <summary>The early-stopping rule for hopeless trials; <see cref="NoTrialStopper"/> by default.</summary>
    public ITrialStopper Stopper { get; set; } = NoTrialStopper.Instance;

    /// <summary>Id of the run's first trial. To continue an earlier search, set it to that search's
    /// <see cref="SearchResult{TCandidate}.NextTrialId"/> so ids, and hence trial seeds, carry on where it stopped.</summary>
    public int FirstTrialId { get; set; }

    /// <summary>Checks every setting, naming the offending one and its fix.</summary>
    /// <exception cref="ArgumentException">A setting is missing or out of range.</exception>
    public void Validate()
    {
        if (Budget is null) throw new ArgumentException("SearchRunnerOptions.Budget is null; set it to a SearchBudget (new SearchBudget() for the defaults).");
        Budget.Validate();
        if (TrialsPerRound < 1)
            throw new ArgumentException($"SearchRunnerOptions.TrialsPerRound is {TrialsPerRound}; set it to at least 1 (default {DefaultTrialsPerRound}).");
        if (Stopper is null) throw new ArgumentException("SearchRunnerOptions.Stopper is null; set it to NoTrialStopper.Instance to run every trial to the end.");
        if (FirstTrialId < 0)
            throw new ArgumentException($"SearchRunnerOptions.FirstTrialId is {FirstTrialId}; set it to zero or more (an earlier search's NextTrialId to continue it).");
    }
}
