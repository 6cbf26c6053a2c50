using static TorchSharp.torch;

namespace AutoLoss.Core.Teaching;

/// <summary>
/// The loss-teaching interface: every adaptive loss (a fixed loss, an L2T-DLF teacher, an ALA policy,
/// an AutoLoss schedule, a searched loss) plugs into the training loop through it, so the loop never
/// changes when a new method arrives.
/// </summary>
/// <remarks>
/// Call order: <see cref="Begin"/> once, then for every student step <see cref="ComputeLoss"/> (whose
/// result the loop back-propagates and steps on) followed by <see cref="AfterStep"/>, and
/// <see cref="AfterEpoch"/> after every epoch. <see cref="IDisposable.Dispose"/> releases the
/// teacher's tensors and modules.
/// </remarks>
public interface ILossTeacher : IDisposable
{
    /// <summary>Receives what the teacher may rely on for the whole run (classes, step budget,
    /// device, validation tensors, seed).</summary>
    void Begin(TeachingContext context);

    /// <summary>Given the student's state at step t (s_t), returns the scalar loss the student's
    /// optimiser minimises at this step. The result must stay connected to the student's graph.</summary>
    Tensor ComputeLoss(StudentState state);

    /// <summary>Learns from what happened at the step just taken (the loss value, the step index).</summary>
    void AfterStep(StepOutcome outcome);

    /// <summary>Learns from an epoch's summary (train loss, validation metric).</summary>
    void AfterEpoch(EpochSummary summary);
}
