using static TorchSharp.torch;

namespace AutoLoss.Core.Teaching;

/// <summary>
/// The loss-teaching interface: every adaptive loss (a fixed loss, an L2T-DLF teacher, an ALA policy,
/// an AutoLoss schedule, a searched loss) plugs into the training loop through it, so the loop never
/// changes when a new method arrives.
/// </summary>
/// <remarks>
/// Call order: <see cref="Begin"/> once; then, for each student (the optional teacher episodes, then the
/// final student), <see cref="BeginStudent"/>, and for every student step <see cref="ComputeLoss"/> (whose
/// result the loop back-propagates and steps on) followed by <see cref="AfterStep"/>, and
/// <see cref="AfterEpoch"/> after every epoch, and <see cref="EndStudent"/>; then <see cref="TakeLearned"/> once. <see cref="IDisposable.Dispose"/> releases the
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

    /// <summary>Teacher episodes the loop runs before the final student: each trains a freshly initialised
    /// student for <see cref="EpisodeEpochs"/> epochs and discards it, so the teacher learns from whole runs
    /// (L2T-DLF's Algorithm 1). 0 for losses that need none. Read once, after <see cref="Begin"/>.</summary>
    int TeacherEpisodes => 0;

    /// <summary>Epochs of each teacher episode's student (ignored when <see cref="TeacherEpisodes"/> is 0).</summary>
    int EpisodeEpochs => 0;

    /// <summary>Consecutive teacher episodes that share one student seed (the same initialisation and batch order):
    /// 1 (default) gives every episode its own; n &gt; 1 lets a teacher compare n episodes that differ only in its own
    /// decisions (common random numbers).</summary>
    int EpisodesPerSeed => 1;

    /// <summary>Called before each student's first step: the teacher episodes, then the final student.</summary>
    void BeginStudent(StudentRun run) { }

    /// <summary>Called after each student's last epoch with its final summary (validation metrics when available).</summary>
    void EndStudent(StudentRun run, EpochSummary last) { }

    /// <summary>Hands over what the teacher learned in this run (the caller then owns it), or null when it learned
    /// nothing (a fixed loss, a frozen pretrained artefact). The loop calls it once, after the final student.</summary>
    ILearnedLoss? TakeLearned() => null;
}
