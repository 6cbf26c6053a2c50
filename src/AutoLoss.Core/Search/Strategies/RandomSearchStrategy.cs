namespace AutoLoss.Core.Search;

/// <summary>
/// Random search: proposes independent draws from the search space, never the same candidate twice when the space gives
/// candidates a <see cref="ISearchSpace{TCandidate}.Key"/>. It ignores results, which makes it the baseline every other
/// strategy must beat, and the seed pool for strategies that learn (NAO starts from random architectures).
/// </summary>
/// <typeparam name="TCandidate">What is searched.</typeparam>
/// <remarks>
/// The proposals depend only on the seed: a strategy saved with <see cref="Save"/> and restored with
/// <see cref="Restore"/> into a new instance over the same space proposes exactly the candidates the saved one would have.
/// Restoring replays the saved number of draws through <see cref="ISearchSpace{TCandidate}.Sample"/>, so it costs as
/// much sampling as the search so far (cheap next to evaluating candidates).
/// </remarks>
public sealed class RandomSearchStrategy<TCandidate> : ISearchStrategy<TCandidate>
{
    /// <summary>Default of <see cref="MaxConsecutiveDuplicates"/>.</summary>
    public const int DefaultMaxConsecutiveDuplicates = 1000;

    private readonly ISearchSpace<TCandidate> _space;
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
    private readonly List<string> _keysInOrder = [];
    private Random _random;
    private long _draws;
    private int _consecutiveDuplicates;

    /// <summary>A random search over <paramref name="space"/> whose proposals are fixed by <paramref name="seed"/>.</summary>
    /// <param name="space">The space to draw from.</param>
    /// <param name="seed">Seed of the strategy's random generator.</param>
    /// <param name="maxConsecutiveDuplicates">How many already-proposed candidates may be drawn in a row before the
    /// strategy concludes the space is used up and proposes nothing more.</param>
    /// <exception cref="ArgumentException"><paramref name="maxConsecutiveDuplicates"/> is not positive.</exception>
    public RandomSearchStrategy(ISearchSpace<TCandidate> space, int seed, int maxConsecutiveDuplicates = DefaultMaxConsecutiveDuplicates)
    {
        ArgumentNullException.ThrowIfNull(space);
        if (maxConsecutiveDuplicates <= 0)
            throw new ArgumentException($"maxConsecutiveDuplicates is {maxConsecutiveDuplicates}; it must be at least 1 (default {DefaultMaxConsecutiveDuplicates}).", nameof(maxConsecutiveDuplicates));
        _space = space;
        Seed = seed;
        MaxConsecutiveDuplicates = maxConsecutiveDuplicates;
        _random = new Random(seed);
    }

    /// <summary>Seed of the random generator (the saved one after <see cref="Restore"/>).</summary>
    public int Seed { get; private set; }

    /// <summary>How many already-proposed candidates may be drawn in a row before the space counts as used up.</summary>
    public int MaxConsecutiveDuplicates { get; }

    /// <summary>Candidates proposed so far.</summary>
    public int ProposedCount { get; private set; }

    /// <summary>True once the strategy stopped finding new candidates; <see cref="Ask"/> then returns none.</summary>
    public bool IsExhausted { get; private set; }

    /// <inheritdoc />
    public IReadOnlyList<TCandidate> Ask(int count)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), $"Asked for {count} candidates; ask for zero or more.");
        var proposals = new List<TCandidate>(count);
        while (proposals.Count < count && !IsExhausted)
        {
            TCandidate candidate = _space.Sample(_random);
            _draws++;
            string? key = _space.Key(candidate);
            if (key is null || _keys.Add(key))
            {
                if (key is not null) _keysInOrder.Add(key);
                proposals.Add(candidate);
                ProposedCount++;
                _consecutiveDuplicates = 0;
            }
            else if (++_consecutiveDuplicates >= MaxConsecutiveDuplicates)
            {
                IsExhausted = true;
            }
        }
        return proposals;
    }

    /// <summary>Random search does not learn from results; the call only checks its arguments.</summary>
    public void Tell(Trial<TCandidate> trial, TrialResult result)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(result);
    }

    /// <inheritdoc />
    public void Save(Stream stream) => SearchJson.WriteDocument(stream, new RandomSearchState
    {
        Format = RandomSearchState.CurrentFormat,
        Seed = Seed,
        Draws = _draws,
        Proposed = ProposedCount,
        ConsecutiveDuplicates = _consecutiveDuplicates,
        Exhausted = IsExhausted,
        ProposedKeys = [.. _keysInOrder],
    });

    /// <inheritdoc />
    public void Restore(Stream stream)
    {
        var state = SearchJson.ReadDocument<RandomSearchState>(stream);
        if (state.Format != RandomSearchState.CurrentFormat)
            throw new InvalidDataException($"The saved state has format '{state.Format}'; a random search strategy reads '{RandomSearchState.CurrentFormat}'.");
        if (state.Draws < 0 || state.Proposed < 0 || state.ConsecutiveDuplicates < 0 || state.ProposedKeys is null)
            throw new InvalidDataException("The saved random search state is corrupt (negative counts or missing keys).");

        var random = new Random(state.Seed);
        for (long draw = 0; draw < state.Draws; draw++) _space.Sample(random);

        _random = random;
        Seed = state.Seed;
        _draws = state.Draws;
        ProposedCount = state.Proposed;
        _consecutiveDuplicates = state.ConsecutiveDuplicates;
        IsExhausted = state.Exhausted;
        _keys.Clear();
        _keysInOrder.Clear();
        foreach (string key in state.ProposedKeys)
        {
            if (_keys.Add(key)) _keysInOrder.Add(key);
        }
    }
}
