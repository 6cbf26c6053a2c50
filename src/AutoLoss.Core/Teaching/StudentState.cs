using static TorchSharp.torch;

namespace AutoLoss.Core.Teaching;

/// <summary>The student's state s_t at one training step, as the loop hands it to an <see cref="ILossTeacher"/>.</summary>
public sealed class StudentState
{
    /// <summary>The student network f_w being trained (read its parameters, or run it on other data).</summary>
    public required nn.Module<Tensor, Tensor> Student { get; init; }

    /// <summary>The batch's features [B, F].</summary>
    public required Tensor Features { get; init; }

    /// <summary>Student outputs f_w(x) on the batch, with graph: logits [B, C] for classification,
    /// predictions [B, 1] for regression.</summary>
    public required Tensor Logits { get; init; }

    /// <summary>Labels [B]: true class indices (int64, 0-based) for classification, targets (float32) for regression.</summary>
    public required Tensor Labels { get; init; }

    /// <summary>Per-example weights [B], or null when the data has no weight column.</summary>
    public Tensor? Weights { get; init; }

    /// <summary>Zero-based index t of this step over the whole run.</summary>
    public long Step { get; init; }

    /// <summary>Zero-based epoch.</summary>
    public int Epoch { get; init; }

    /// <summary>Training progress in [0, 1]: steps done over the planned total (by epochs when the
    /// number of steps per epoch is unknown).</summary>
    public double Progress { get; init; }

    /// <summary>Learning rate eta_t the optimiser uses at this step.</summary>
    public double LearningRate { get; init; }
}
