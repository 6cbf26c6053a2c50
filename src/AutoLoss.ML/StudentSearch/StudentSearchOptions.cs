using AutoLoss.Core.Training;
using Microsoft.ML;

namespace AutoLoss;

/// <summary>
/// Settings of <c>mlContext.MulticlassClassification.SearchStudent</c>: the architecture space, NAO's settings (or random
/// search, the honest baseline, with the same budget), the short training that scores each architecture, and the budget.
/// </summary>
public sealed class StudentSearchOptions
{
    /// <summary>The architectures searched. Default: MLPs of 0-4 hidden layers of 16-512 units
    /// (<see cref="MlpArchitectureSpace"/>).</summary>
    public IArchitectureSpace Space { get; set; } = new MlpArchitectureSpace();

    /// <summary>True (default) for NAO; false for random search over the same space, size limit and budget.</summary>
    public bool UseNao { get; set; } = true;

    /// <summary>NAO's settings (seed architectures, rounds, controller); its <see cref="NaoOptions.MaxParameters"/> is
    /// the size budget for both strategies, and its input/output sizes are set from the data.</summary>
    public NaoOptions Nao { get; set; } = new();

    /// <summary>The key-typed label column. Default "Label".</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>The known-size float vector features column. Default "Features".</summary>
    public string FeatureColumnName { get; set; } = "Features";

    /// <summary>Epochs of the short training that scores an architecture. Default 5.</summary>
    public int NumberOfEpochs { get; set; } = 5;

    /// <summary>Rows per step of those runs. Default <see cref="TrainingSettings.Defaults.BatchSize"/>.</summary>
    public int BatchSize { get; set; } = TrainingSettings.Defaults.BatchSize;

    /// <summary>Learning rate of those runs. Default <see cref="TrainingSettings.Defaults.LearningRate"/>.</summary>
    public double LearningRate { get; set; } = TrainingSettings.Defaults.LearningRate;

    /// <summary>Fraction of the rows held out to score architectures (ignored when <see cref="ValidationData"/> is set). Default 0.2.</summary>
    public double ValidationFraction { get; set; } = 0.2;

    /// <summary>Rows to score architectures on; null holds out <see cref="ValidationFraction"/>.</summary>
    public IDataView? ValidationData { get; set; }

    /// <summary>Most architectures evaluated (this run). Default 100.</summary>
    public int MaxTrials { get; set; } = 100;

    /// <summary>Architectures trained at once. Default 1. With more, a student with dropout draws its masks from
    /// TorchSharp's shared generator, so its score can depend on scheduling; the rest stay reproducible.</summary>
    public int MaxConcurrentTrials { get; set; } = 1;

    /// <summary>When true, a trial whose best validation score so far is below the median of finished trials at the same
    /// epoch is stopped early (the median stopping rule, after 3 finished trials). Default false.</summary>
    public bool StopHopelessTrials { get; set; }

    /// <summary>Longest the search may take; null (default) for no limit.</summary>
    public TimeSpan? MaxWallTime { get; set; }

    /// <summary>Seed of the search; null (default) draws it from the MLContext. A continued search keeps its own.</summary>
    public int? Seed { get; set; }

    /// <summary>An earlier result to continue (its strategy state, NAO's controller and evaluated architectures carry on).</summary>
    public ArchitectureSearchResult? ContinueFrom { get; set; }

    /// <summary>Called with each evaluated architecture, from the thread that trained it.</summary>
    public Action<EvaluatedStudent>? Progress { get; set; }

    /// <summary>Ends the search early; what was evaluated so far is returned.</summary>
    public CancellationToken CancellationToken { get; set; }
}
