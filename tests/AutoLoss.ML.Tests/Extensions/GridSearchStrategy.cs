using AutoLoss.Core.Search;

namespace AutoLoss.ML.Tests.Extensions;

/// <summary>A search strategy defined in test code only: proposes every candidate of a fixed list once, in order, and
/// remembers the best result it was told. Its state (position, best) saves and restores.</summary>
internal sealed class GridSearchStrategy<TCandidate>(IReadOnlyList<TCandidate> grid) : ISearchStrategy<TCandidate>
{
    private int _next;

    public double BestValue { get; private set; } = double.NaN;

    public TCandidate? BestCandidate { get; private set; }

    public int Told { get; private set; }

    public IReadOnlyList<TCandidate> Ask(int count)
    {
        var batch = grid.Skip(_next).Take(count).ToList();
        _next += batch.Count;
        return batch;
    }

    public void Tell(Trial<TCandidate> trial, TrialResult result)
    {
        Told++;
        if (result.Status == TrialStatus.Completed && (double.IsNaN(BestValue) || result.MetricValue > BestValue))
            (BestValue, BestCandidate) = (result.MetricValue, trial.Candidate);
    }

    public void Save(Stream stream) => SearchJson.WriteDocument(stream, new State(_next, BestValue, Told));

    public void Restore(Stream stream)
    {
        var state = SearchJson.ReadDocument<State>(stream);
        (_next, BestValue, Told) = (state.Next, state.BestValue, state.Told);
    }

    private sealed record State(int Next, double BestValue, int Told);
}
