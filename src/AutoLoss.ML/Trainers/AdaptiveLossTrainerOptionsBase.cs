using AutoLoss.Core.Data;
using AutoLoss.Core.Teaching;
using AutoLoss.Core.Training;
using Microsoft.ML;

namespace AutoLoss;

/// <summary>
/// The options every AdaptiveLoss trainer shares: columns, student, optimiser and schedule, validation
/// and early stopping, device, data caching, seed, progress and cancellation. Each task's
/// <c>Options</c> (<see cref="AdaptiveLossMulticlassTrainer.Options"/>,
/// <see cref="AdaptiveLossRegressionTrainer.Options"/>) derives from it and sets the task's own
/// <see cref="Loss"/> and <see cref="EarlyStoppingMetric"/>. Every property is a plain settable value
/// with a documented default, so a trainer can be swept like a built-in one.
/// </summary>
public abstract class AdaptiveLossTrainerOptionsBase
{
    private protected AdaptiveLossTrainerOptionsBase()
    {
    }

    /// <summary>Label column. Default "Label". Multiclass: a key type (apply <c>MapValueToKey</c>
    /// first); regression: a scalar Single (float).</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>Features column: a known-size vector of float. Default "Features".</summary>
    public string FeatureColumnName { get; set; } = "Features";

    /// <summary>Optional example-weight column (float, finite, >= 0); the loss becomes the
    /// weighted mean. Default null (all rows weigh 1).</summary>
    public string? ExampleWeightColumnName { get; set; }

    /// <summary>The student network. Default an MLP with hidden layers 500 and 300, ReLU, no dropout.</summary>
    public StudentSpec Student { get; set; } = new MlpSpec();

    /// <summary>When set, the student's architecture is searched first (NAO, or random search; scored on rows held out
    /// from the training data as the search's options say), and the best architecture is trained in place of
    /// <see cref="Student"/>, with <see cref="Loss"/>. The search's result is on the model (<c>StudentSearch</c>). Its
    /// label and feature columns are set to this trainer's. Classification tasks only. Default null (no search).</summary>
    public StudentSearchOptions? StudentSearch { get; set; }

    /// <summary>What the student minimises; the default depends on the task.</summary>
    public abstract LossOptions Loss { get; set; }

    /// <summary>Passes over the training data. Default 20.</summary>
    public int NumberOfEpochs { get; set; } = TrainingSettings.Defaults.NumberOfEpochs;

    /// <summary>Rows per optimiser step. Default 100.</summary>
    public int BatchSize { get; set; } = TrainingSettings.Defaults.BatchSize;

    /// <summary>Optimiser. Default <see cref="OptimizerKind.Sgd"/> with momentum.</summary>
    public OptimizerKind Optimizer { get; set; } = TrainingSettings.Defaults.Optimizer;

    /// <summary>Initial learning rate. Default 0.1 (suits SGD with momentum on features in [0, 1];
    /// use about 0.001 with Adam).</summary>
    public double LearningRate { get; set; } = TrainingSettings.Defaults.LearningRate;

    /// <summary>SGD momentum in [0, 1). Default 0.9. Ignored by Adam.</summary>
    public double Momentum { get; set; } = TrainingSettings.Defaults.Momentum;

    /// <summary>L2 weight decay, >= 0. Default 0.</summary>
    public double WeightDecay { get; set; }

    /// <summary>Learning-rate schedule. Default constant.</summary>
    public LearningRateSchedule LearningRateSchedule { get; set; } = TrainingSettings.Defaults.LearningRateSchedule;

    /// <summary>Epochs between decays of the step schedule. Default 10.</summary>
    public int LearningRateDecayEpochs { get; set; } = TrainingSettings.Defaults.LearningRateDecayEpochs;

    /// <summary>Multiplier of the step schedule, in (0, 1]. Default 0.1.</summary>
    public double LearningRateDecayFactor { get; set; } = TrainingSettings.Defaults.LearningRateDecayFactor;

    /// <summary>Random shifts (and optionally horizontal flips) of the training images, drawn from the seed for every
    /// batch; needs an image student (e.g. <see cref="ConvNetSpec"/>). Validation rows and scoring see the images as
    /// they are. Default null (off).</summary>
    public ImageAugmentation? Augmentation { get; set; }

    /// <summary>Epochs without validation improvement before training stops and the best
    /// epoch's weights are kept; 0 disables. Needs validation data. Default 0.</summary>
    public int EarlyStoppingPatience { get; set; }

    /// <summary>Name of the validation metric early stopping watches (<see cref="MetricNames"/>); it must be one the
    /// task measures (an error lists them), and the default depends on the task.</summary>
    public abstract string EarlyStoppingMetric { get; set; }

    /// <summary>Fraction of training rows held out as validation data, in [0, 1). Rows are
    /// chosen by a hash of their position and the seed, so the split is reproducible and
    /// works while streaming. Ignored when <see cref="ValidationData"/> is set. Default 0.</summary>
    public double ValidationFraction { get; set; }

    /// <summary>After training, train a fresh student (same seed and schedule) on the training rows plus the
    /// validation rows, for the epochs the run kept (all of them, or up to early stopping's best epoch), and return it
    /// instead. The teacher replays (ALA: the Phi_t trajectory it chose) or freezes (L2T-DLF: the learned teacher) what
    /// it learned, since validation rows can no longer judge it. Validation data then costs the returned model no
    /// training rows, as when an AutoML sweep refits its winner; training takes one more student's time. Needs
    /// validation data; with an explicit <see cref="ValidationData"/> the training data must be cached
    /// (<see cref="Caching"/>). Default false.</summary>
    public bool RefitOnAllData { get; set; }

    /// <summary>Explicit validation data (same schema as training). Default null.</summary>
    public IDataView? ValidationData { get; set; }

    /// <summary>Where to train: Auto (CUDA when available, else CPU), Cpu, or Cuda. Default Auto.
    /// The fitted model always scores on the CPU.</summary>
    public ComputeDevice Device { get; set; } = TrainingSettings.Defaults.Device;

    /// <summary>Caching of training data. Default Auto.</summary>
    public DataCaching Caching { get; set; } = DataCaching.Auto;

    /// <summary>Largest feature cache (in MiB) <see cref="DataCaching.Auto"/> creates. Default 1024.</summary>
    public int MaxCacheMegabytes { get; set; } = 1024;

    /// <summary>Rows held in the shuffle pool while streaming (random order within the pool).
    /// Default 10,000.</summary>
    public int ShufflePoolSize { get; set; } = 10_000;

    /// <summary>Seed of initialisation, dropout, shuffling and validation split. Default null:
    /// drawn from the MLContext's seed, so <c>new MLContext(seed: s)</c> reproduces a model.</summary>
    public int? Seed { get; set; }

    /// <summary>Called after every epoch with its summary (train loss, validation metrics, elapsed).</summary>
    public Action<EpochSummary>? Progress { get; set; }

    /// <summary>Checked between batches; cancelling ends Fit with <see cref="OperationCanceledException"/>
    /// and releases everything training created.</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>How the trainer's cached rows become training batches: the rows themselves, shuffled (default), or a
    /// task-specific arrangement (class-balanced batches for metric learning).</summary>
    internal virtual ITrainingBatchSource ArrangeBatches(InMemoryDataset rows) => rows;

    /// <summary>Why the rows must be cached to be arranged (<see cref="ArrangeBatches"/>), or null when streaming works.</summary>
    internal virtual string? StreamingRefusal => null;
}
