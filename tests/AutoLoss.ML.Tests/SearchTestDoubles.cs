using AutoLoss.Core.Search;

namespace AutoLoss.ML.Tests;

/// <summary>A point of the 9 x 9 integer grid [-4, 4]^2: the candidate type of the search tests.</summary>
public sealed record GridPoint(int X, int Y);

/// <summary>The grid as a search space; points are de-duplicated by their coordinates.</summary>
public sealed class GridSpace : ISearchSpace<GridPoint>
{
    public const int Radius = 4;

    public static IEnumerable<GridPoint> All =>
        from x in Enumerable.Range(-Radius, 2 * Radius + 1) from y in Enumerable.Range(-Radius, 2 * Radius + 1) select new GridPoint(x, y);

    public GridPoint Sample(Random random) => new(random.Next(-Radius, Radius + 1), random.Next(-Radius, Radius + 1));

    public string? Key(GridPoint candidate) => $"{candidate.X},{candidate.Y}";

    /// <summary>The synthetic objective (lower is better): a quadratic bowl with its minimum 0 at (2, -1).</summary>
    public static double Quadratic(GridPoint p) => (p.X - 2) * (p.X - 2) + (p.Y + 1) * (p.Y + 1);

    public static readonly GridPoint Optimum = new(2, -1);
}

/// <summary>Proposes a fixed list of candidates in order: lets tests place good and bad trials where they want.</summary>
public sealed class FixedListStrategy<T>(IReadOnlyList<T> candidates) : ISearchStrategy<T>
{
    private int _next;

    public List<int> ToldIds { get; } = [];

    public IReadOnlyList<T> Ask(int count)
    {
        var batch = candidates.Skip(_next).Take(count).ToList();
        _next += batch.Count;
        return batch;
    }

    public void Tell(Trial<T> trial, TrialResult result) => ToldIds.Add(trial.Id);

    public void Save(Stream stream) => SearchJson.WriteDocument(stream, _next);

    public void Restore(Stream stream) => _next = SearchJson.ReadDocument<int>(stream);
}

/// <summary>An adaptive strategy whose proposals depend on the order it is told results: random points until something
/// completes, then random neighbours of the best completed point so far. Used to check that the runner's tell order
/// does not depend on scheduling.</summary>
public sealed class GreedyNeighbourStrategy(int seed) : ISearchStrategy<GridPoint>
{
    private readonly Random _random = new(seed);
    private GridPoint? _best;
    private double _bestValue = double.PositiveInfinity;

    public IReadOnlyList<GridPoint> Ask(int count)
    {
        var batch = new List<GridPoint>();
        for (int i = 0; i < count; i++)
        {
            batch.Add(_best is null
                ? new GridPoint(_random.Next(-GridSpace.Radius, GridSpace.Radius + 1), _random.Next(-GridSpace.Radius, GridSpace.Radius + 1))
                : new GridPoint(Clamp(_best.X + _random.Next(-1, 2)), Clamp(_best.Y + _random.Next(-1, 2))));
        }
        return batch;
    }

    public void Tell(Trial<GridPoint> trial, TrialResult result)
    {
        if (result.Status == TrialStatus.Completed && result.MetricValue < _bestValue)
        {
            _best = trial.Candidate;
            _bestValue = result.MetricValue;
        }
    }

    public void Save(Stream stream) => throw new NotSupportedException("Test strategy.");

    public void Restore(Stream stream) => throw new NotSupportedException("Test strategy.");

    private static int Clamp(int v) => Math.Clamp(v, -GridSpace.Radius, GridSpace.Radius);
}

/// <summary>Shared helpers of the search tests.</summary>
internal static class SearchTesting
{
    public static readonly SearchObjective Error = SearchObjective.Minimize("Error");

    /// <summary>An evaluator scoring grid points by <see cref="GridSpace.Quadratic"/>.</summary>
    public static DelegateTrialEvaluator<GridPoint> QuadraticEvaluator() =>
        new(Error, (trial, _, _) => TrialResult.Completed(GridSpace.Quadratic(trial.Candidate)));

    /// <summary>The result without its timings, as JSON: what must not depend on scheduling.</summary>
    public static string WithoutTimings<T>(SearchResult<T> result) => SearchJson.Serialize(result with
    {
        WallTime = TimeSpan.Zero,
        Trials = [.. result.Trials.Select(t => t with { Result = t.Result with { Duration = TimeSpan.Zero } })],
    });

    public static SearchRunnerOptions Options(int maxTrials, int concurrent = 2, int perRound = 4, int seed = 1, ITrialStopper? stopper = null) => new()
    {
        Seed = seed,
        TrialsPerRound = perRound,
        Budget = new SearchBudget { MaxTrials = maxTrials, MaxConcurrentTrials = concurrent },
        Stopper = stopper ?? NoTrialStopper.Instance,
    };
}
