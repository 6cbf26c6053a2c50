namespace AutoLoss.Core.Search;

/// <summary>The saved form of a <see cref="RandomSearchStrategy{TCandidate}"/>: enough to put a new strategy over the same
/// space at exactly the same point of its random sequence.</summary>
internal sealed record RandomSearchState
{
    /// <summary>Identifies the document as this strategy's state in this layout.</summary>
    public const string CurrentFormat = "AutoLoss.RandomSearch/1";

    /// <summary>The document's format; <see cref="CurrentFormat"/>.</summary>
    public string Format { get; init; } = "";

    /// <summary>The strategy's seed.</summary>
    public int Seed { get; init; }

    /// <summary>How many candidates were drawn from the space, duplicates included.</summary>
    public long Draws { get; init; }

    /// <summary>How many candidates were proposed.</summary>
    public int Proposed { get; init; }

    /// <summary>Duplicates drawn in a row since the last new candidate.</summary>
    public int ConsecutiveDuplicates { get; init; }

    /// <summary>Whether the strategy gave up finding new candidates.</summary>
    public bool Exhausted { get; init; }

    /// <summary>The keys of proposed candidates, in proposal order.</summary>
    public IReadOnlyList<string> ProposedKeys { get; init; } = [];
}
