using AutoLoss.Core.Search.LossEvolution;
using AutoLoss.Core.Training;
using Microsoft.ML;

namespace AutoLoss;

/// <summary>
/// Settings of <c>mlContext.MulticlassClassification.SearchLoss</c>: which search, on which columns, the proxy training
/// that scores each candidate loss, and the budget. The searched loss is then used like any other:
/// <c>Loss = searched.ToLossOptions()</c>.
/// </summary>
public sealed class LossSearchOptions
{
    /// <summary>The search. Default: AutoLoss-Zero with a population of 20 over 10 generations
    /// (<see cref="AutoLossZeroSearch"/>); or <see cref="TaylorLossSearch"/>.</summary>
    public LossSearchMethod Method { get; set; } = new AutoLossZeroSearch { Evolution = new ExpressionEvolutionOptions { PopulationSize = 20, Generations = 10 } };

    /// <summary>The label column: key-typed for the multiclass search, Boolean for the binary one. Default "Label".</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>Known-size float vector column. Default "Features".</summary>
    public string FeatureColumnName { get; set; } = "Features";

    /// <summary>The student each candidate trains in its proxy run. Default: an MLP with the trainers' default hidden sizes.</summary>
    public StudentSpec Student { get; set; } = new MlpSpec();

    /// <summary>Epochs of one proxy training run. Default 10: long enough for cross-entropy to start memorising noisy labels.</summary>
    public int NumberOfEpochs { get; set; } = 10;

    /// <summary>Rows per step of the proxy runs. Default <see cref="TrainingSettings.Defaults.BatchSize"/>.</summary>
    public int BatchSize { get; set; } = TrainingSettings.Defaults.BatchSize;

    /// <summary>Learning rate of the proxy runs (SGD with momentum). Default <see cref="TrainingSettings.Defaults.LearningRate"/>.</summary>
    public double LearningRate { get; set; } = TrainingSettings.Defaults.LearningRate;

    /// <summary>Fraction of the rows held out to measure each candidate (ignored when <see cref="ValidationData"/> is set). Default 0.2.</summary>
    public double ValidationFraction { get; set; } = 0.2;

    /// <summary>Rows to measure each candidate on, with the training data's columns; null holds out <see cref="ValidationFraction"/>.</summary>
    public IDataView? ValidationData { get; set; }

    /// <summary>Most candidates trained. Default 200.</summary>
    public int MaxTrials { get; set; } = 200;

    /// <summary>Longest the search may take; null (default) for no limit. The best loss so far is returned when it elapses.</summary>
    public TimeSpan? MaxWallTime { get; set; }

    /// <summary>Candidates trained at once. Default 1 (TorchSharp already uses every core inside one run).</summary>
    public int MaxConcurrentTrials { get; set; } = 1;

    /// <summary>Seed of the search and its runs; null (default) draws it from the MLContext.</summary>
    public int? Seed { get; set; }

    /// <summary>Called as each candidate finishes, from the thread that trained it.</summary>
    public Action<LossSearchTrial>? Progress { get; set; }

    /// <summary>Ends the search early; the best loss so far is returned.</summary>
    public CancellationToken CancellationToken { get; set; }
}
