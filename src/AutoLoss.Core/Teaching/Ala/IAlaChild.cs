using AutoLoss.Core.Training;
using static TorchSharp.torch;

namespace AutoLoss.Core.Teaching.Ala;

/// <summary>
/// One child model of ALA's multi-network mode, whatever loss family it trains with: its Phi_t (of type
/// <typeparamref name="TPhi"/>), the validation measurements of its current window, its last window metric M_t and the
/// decision still waiting for its reward. The run's own student is a child without a <see cref="Side"/> student.
/// </summary>
internal interface IAlaChild<TPhi> : IDisposable
{
    /// <summary>The side student, or null for the run's own student.</summary>
    SideStudent? Side { get; }

    /// <summary>A side student's window running on another thread, or null.</summary>
    Task? Running { get; set; }

    /// <summary>Metrics measured in the current window (the last one at its end).</summary>
    List<double> Checkpoints { get; }

    /// <summary>M_t, the discounted metric of the last finished window; null before the first.</summary>
    double? WindowMetric { get; set; }

    /// <summary>The decision taken at the start of the current window, awaiting its reward.</summary>
    AlaDecision? Pending { get; set; }

    /// <summary>True once the child's state has been measured.</summary>
    bool HasState { get; }

    /// <summary>A copy of Phi_t.</summary>
    TPhi SnapshotPhi();

    /// <summary>Sets Phi_t (a replayed value).</summary>
    void SetPhi(TPhi phi);

    /// <summary>l_{Phi_t} averaged over the state's batch.</summary>
    Tensor Loss(StudentState state);
}
