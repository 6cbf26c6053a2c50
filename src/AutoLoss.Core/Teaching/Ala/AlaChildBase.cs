using AutoLoss.Core.Training;
using static TorchSharp.torch;

namespace AutoLoss.Core.Teaching.Ala;

/// <summary>
/// One child model of ALA's multi-network mode, whatever loss family it trains with: its Phi_t (of type
/// <typeparamref name="TPhi"/>), the validation measurements of its current window, its last window metric M_t and the
/// decision still waiting for its reward. The run's own student is a child without a <see cref="Side"/> student.
/// </summary>
internal abstract class AlaChildBase<TPhi>(SideStudent? side) : IDisposable
{
    /// <summary>The side student, or null for the run's own student.</summary>
    public SideStudent? Side { get; } = side;

    /// <summary>A side student's window running on another thread, or null.</summary>
    public Task? Running { get; set; }

    /// <summary>Metrics measured in the current window (the last one at its end).</summary>
    public List<double> Checkpoints { get; } = [];

    /// <summary>M_t, the discounted metric of the last finished window; null before the first.</summary>
    public double? WindowMetric { get; set; }

    /// <summary>The decision taken at the start of the current window, awaiting its reward.</summary>
    public AlaDecision? Pending { get; set; }

    /// <summary>True once the child's state has been measured.</summary>
    public abstract bool HasState { get; }

    /// <summary>A copy of Phi_t.</summary>
    public abstract TPhi SnapshotPhi();

    /// <summary>Sets Phi_t (a replayed value).</summary>
    public abstract void SetPhi(TPhi phi);

    /// <summary>l_{Phi_t} averaged over the state's batch.</summary>
    public abstract Tensor Loss(StudentState state);

    /// <summary>Releases what the family's child holds besides the side student (tensors, generators).</summary>
    protected abstract void ReleaseResources();

    /// <summary>Waits for a running window (its failure was, or will be, reported by the run), then releases everything.</summary>
    public void Dispose()
    {
        try { Running?.Wait(); } catch (AggregateException) { }
        ReleaseResources();
        Side?.Dispose();
    }
}
