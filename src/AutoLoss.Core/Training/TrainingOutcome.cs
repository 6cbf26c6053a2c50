using static TorchSharp.torch;

namespace AutoLoss.Core.Training;

/// <summary>A trained student (on the CPU, in eval mode, owned by the caller) and its training history.</summary>
public sealed class TrainingOutcome
{
    /// <summary>The trained network; dispose it when done.</summary>
    public required nn.Module<Tensor, Tensor> Student { get; init; }

    /// <summary>The architecture the student was built from.</summary>
    public StudentSpec? Spec { get; init; }

    /// <summary>One summary per epoch of the final student's run (with validation metrics; a refit adds none).</summary>
    public required IReadOnlyList<EpochSummary> History { get; init; }

    /// <summary>Epoch whose weights the student holds (the best one under early stopping, else the last); after a
    /// refit, the last of the epochs the refit student trained for (<see cref="SelectedEpoch"/> + 1 epochs).</summary>
    public required int SelectedEpoch { get; init; }

    /// <summary>What the loss method learned (an L2T-DLF teacher, an ALA policy, a schedule controller), or null for a
    /// fixed loss or a frozen pretrained artefact. The caller owns it.</summary>
    public ILearnedLoss? LearnedLoss { get; init; }

    /// <summary>True when early stopping ended the run before the planned epochs.</summary>
    public bool StoppedEarly { get; init; }

    /// <summary>True when the student is the refit one (<see cref="TrainingSettings.RefitOnAllData"/>), trained on
    /// the training and validation rows.</summary>
    public bool Refitted { get; init; }
}
