using AutoLoss.Core.Data;
using AutoLoss.Core.Training;
using static TorchSharp.torch;

namespace AutoLoss.Core.Teaching;

/// <summary>What a loss teacher may rely on for a whole training run.</summary>
public sealed class TeachingContext
{
    /// <summary>What the student predicts.</summary>
    public required TrainingTask Task { get; init; }

    /// <summary>Number of classes C of a classification task; 0 for any other task.</summary>
    public int NumberOfClasses => (Task as ClassificationTask)?.NumberOfClasses ?? 0;

    /// <summary>Number of input features F.</summary>
    public required int FeatureCount { get; init; }

    /// <summary>Planned number of epochs.</summary>
    public required int Epochs { get; init; }

    /// <summary>Planned steps per epoch, or null when the data's row count is not known in advance.</summary>
    public long? StepsPerEpoch { get; init; }

    /// <summary>Device the student lives on.</summary>
    public required Device Device { get; init; }

    /// <summary>Seed of this run; teachers derive their own randomness from it.</summary>
    public required int Seed { get; init; }

    /// <summary>The student's architecture, for teachers that train fresh students of their own.</summary>
    public required StudentSpec StudentSpec { get; init; }

    /// <summary>Held-out validation data (D_dev), already on <see cref="Device"/>, or null.</summary>
    public InMemoryDataset? Validation { get; init; }

    /// <summary>Writes a progress line to the run's log (ML.NET's <c>mlContext.Log</c> through the adapter).</summary>
    public Action<string> Log { get; init; } = _ => { };

    /// <summary>Creates a student beside the run's own, with the given seed (for teachers that train several
    /// children side by side, e.g. ALA's multi-network mode). The caller owns and disposes it. Null when the
    /// host cannot provide one.</summary>
    public Func<int, SideStudent>? CreateSideStudent { get; init; }

    /// <summary>Cancellation of the run; long teacher computations check it.</summary>
    public CancellationToken CancellationToken { get; init; }
}
