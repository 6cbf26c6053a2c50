namespace AutoLoss.Core.Teaching.Ala;

/// <summary>One remembered decision: the policy's input row s_t, the action index (0: -beta, 1: 0, 2: +beta) it took
/// for each head, which heads acted on a Phi element, and the advantage r_t - b_t it earned.</summary>
internal sealed record AlaExperience(float[] Input, int[] Actions, bool[] Acted, float Advantage);

/// <summary>
/// ALA's replay memory D: the most recent <see cref="Capacity"/> experiences from all child models; the controller
/// learns from random samples of it rather than only from the latest, correlated, decisions.
/// </summary>
internal sealed class AlaReplayMemory
{
    private readonly AlaExperience[] _items;
    private int _next;

    /// <summary>Creates an empty memory holding at most <paramref name="capacity"/> experiences.</summary>
    public AlaReplayMemory(int capacity)
    {
        if (capacity <= 0) throw new ArgumentOutOfRangeException(nameof(capacity), $"The replay capacity is {capacity}; it must be positive.");
        _items = new AlaExperience[capacity];
    }

    /// <summary>Maximum number of experiences kept; the oldest is overwritten first.</summary>
    public int Capacity => _items.Length;

    /// <summary>Experiences currently held.</summary>
    public int Count { get; private set; }

    /// <summary>Adds an experience, overwriting the oldest when full.</summary>
    public void Add(AlaExperience experience)
    {
        _items[_next] = experience;
        _next = (_next + 1) % _items.Length;
        Count = Math.Min(Count + 1, _items.Length);
    }

    /// <summary>Draws <paramref name="size"/> experiences uniformly with replacement.</summary>
    public AlaExperience[] Sample(int size, Random random)
    {
        if (Count == 0) return [];
        var sample = new AlaExperience[size];
        for (int k = 0; k < size; k++) sample[k] = _items[random.Next(Count)];
        return sample;
    }
}
