using AutoLoss.Core.Metrics;

namespace AutoLoss.Core.Training;

/// <summary>How the training loop runs: budget, optimiser, schedule, early stopping, device, seed,
/// progress and cancellation. The ML.NET trainer options map onto this one to one.</summary>
public sealed class TrainingSettings
{
    /// <summary>The default of every training setting, written once: <see cref="TrainingSettings"/>, the AdaptiveLoss
    /// trainers' options and their catalog overloads all use these.</summary>
    public static class Defaults
    {
        /// <summary>Passes over the training data.</summary>
        public const int NumberOfEpochs = 20;
        /// <summary>Rows per optimiser step.</summary>
        public const int BatchSize = 100;
        /// <summary>Initial learning rate (suits SGD with momentum on features in [0, 1]).</summary>
        public const double LearningRate = 0.1;
        /// <summary>The optimiser.</summary>
        public const OptimizerKind Optimizer = OptimizerKind.Sgd;
        /// <summary>SGD momentum.</summary>
        public const double Momentum = 0.9;
        /// <summary>The learning-rate schedule.</summary>
        public const LearningRateSchedule LearningRateSchedule = AutoLoss.LearningRateSchedule.Constant;
        /// <summary>Epochs between decays of the step schedule.</summary>
        public const int LearningRateDecayEpochs = 10;
        /// <summary>Factor of the step schedule.</summary>
        public const double LearningRateDecayFactor = 0.1;
        /// <summary>Where to train.</summary>
        public const ComputeDevice Device = ComputeDevice.Auto;
    }

    /// <summary>Passes over the training data. Default 20.</summary>
    public int NumberOfEpochs { get; set; } = Defaults.NumberOfEpochs;

    /// <summary>Rows per step. Default 100.</summary>
    public int BatchSize { get; set; } = Defaults.BatchSize;

    /// <summary>Initial learning rate eta_0. Default 0.1.</summary>
    public double LearningRate { get; set; } = Defaults.LearningRate;

    /// <summary>Optimiser. Default SGD.</summary>
    public OptimizerKind Optimizer { get; set; } = Defaults.Optimizer;

    /// <summary>SGD momentum in [0, 1). Default 0.9. Ignored by Adam.</summary>
    public double Momentum { get; set; } = Defaults.Momentum;

    /// <summary>L2 weight decay (>= 0). Default 0.</summary>
    public double WeightDecay { get; set; }

    /// <summary>Learning-rate schedule. Default constant.</summary>
    public LearningRateSchedule LearningRateSchedule { get; set; } = Defaults.LearningRateSchedule;

    /// <summary>Epochs between decays of the step schedule. Default 10.</summary>
    public int LearningRateDecayEpochs { get; set; } = Defaults.LearningRateDecayEpochs;

    /// <summary>Factor of the step schedule, in (0, 1]. Default 0.1.</summary>
    public double LearningRateDecayFactor { get; set; } = Defaults.LearningRateDecayFactor;

    /// <summary>Stop after this many epochs without improvement of the validation metric and keep
    /// the best epoch's weights; 0 disables early stopping. Default 0.</summary>
    public int EarlyStoppingPatience { get; set; }

    /// <summary>Name of the validation metric early stopping watches (<see cref="MetricNames"/>; one of the
    /// task's <see cref="TrainingTask.Metrics"/>, whose direction decides what "better" means). Default null: the task's
    /// <see cref="TrainingTask.DefaultEarlyStoppingMetric"/> (accuracy for classification, mean squared error for
    /// regression).</summary>
    public string? EarlyStoppingMetric { get; set; }

    /// <summary>After the run, train a fresh student (same seed) on the training rows plus the validation rows
    /// (<see cref="TrainingProblem.TrainAndValidation"/>) for the epochs the run kept (all, or up to early stopping's
    /// best), with the teacher replaying or freezing what it learned, and return it instead. Validation data then
    /// serves the teacher and early stopping without costing the returned student any training rows. Default false.</summary>
    public bool RefitOnAllData { get; set; }

    /// <summary>Device choice. Default Auto.</summary>
    public ComputeDevice Device { get; set; } = Defaults.Device;

    /// <summary>Seed of the student's initialisation and batch order (and of teachers' networks, from seeds derived from
    /// it). Dropout draws from TorchSharp's process-wide generator after that initialisation.</summary>
    public int Seed { get; set; }

    /// <summary>Random shifts and flips of training images (<see cref="ImageAugmentation"/>); needs a student with an
    /// image input shape. Default null (training rows as they are).</summary>
    public ImageAugmentation? Augmentation { get; set; }

    /// <summary>Called after every epoch.</summary>
    public Action<EpochSummary>? Progress { get; set; }

    /// <summary>Receives log lines.</summary>
    public Action<string>? Log { get; set; }

    /// <summary>Checked between batches; cancellation ends training with <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the option and a fix for
    /// any unusable setting. Runs in every build configuration, before any tensor is created.</summary>
    public void Validate()
    {
        Require(NumberOfEpochs > 0, nameof(NumberOfEpochs), $"is {NumberOfEpochs}; train for at least 1 epoch (e.g. 20).");
        Require(BatchSize > 0, nameof(BatchSize), $"is {BatchSize}; use a positive batch size (e.g. 100).");
        Require(LearningRate > 0 && double.IsFinite(LearningRate), nameof(LearningRate), $"is {LearningRate}; use a positive finite rate (e.g. 0.1 for SGD, 0.001 for Adam).");
        Require(Momentum >= 0 && Momentum < 1, nameof(Momentum), $"is {Momentum}; it must be in [0, 1).");
        Require(WeightDecay >= 0 && double.IsFinite(WeightDecay), nameof(WeightDecay), $"is {WeightDecay}; it must be >= 0.");
        Require(LearningRateDecayEpochs > 0, nameof(LearningRateDecayEpochs), $"is {LearningRateDecayEpochs}; it must be >= 1.");
        Require(LearningRateDecayFactor > 0 && LearningRateDecayFactor <= 1, nameof(LearningRateDecayFactor), $"is {LearningRateDecayFactor}; it must be in (0, 1].");
        Require(EarlyStoppingPatience >= 0, nameof(EarlyStoppingPatience), $"is {EarlyStoppingPatience}; use 0 to disable early stopping or a positive number of epochs.");
        Require(Enum.IsDefined(Optimizer), nameof(Optimizer), $"value {(int)Optimizer} is not a known optimiser.");
        Require(Enum.IsDefined(LearningRateSchedule), nameof(LearningRateSchedule), $"value {(int)LearningRateSchedule} is not a known schedule.");
        Require(Enum.IsDefined(Device), nameof(Device), $"value {(int)Device} is not a known device.");
    }

    /// <summary><see cref="Validate()"/>, and a check that <see cref="EarlyStoppingMetric"/>, when set, is a metric
    /// <paramref name="task"/> measures.</summary>
    public void Validate(TrainingTask task)
    {
        Validate();
        EarlyStoppingMetricFor(task);
    }

    /// <summary>The metric early stopping watches on <paramref name="task"/>: <see cref="EarlyStoppingMetric"/> or the
    /// task's default. Throws <see cref="ArgumentException"/> naming the option and the task's metrics when the task
    /// does not measure it.</summary>
    public ValidationMetric EarlyStoppingMetricFor(TrainingTask task) =>
        task.Metric(EarlyStoppingMetric ?? task.DefaultEarlyStoppingMetric, nameof(EarlyStoppingMetric));

    /// <summary>A shallow copy (callbacks and the token are shared), so a caller can change one run's settings without
    /// touching another's.</summary>
    public TrainingSettings Copy() => (TrainingSettings)MemberwiseClone();

    /// <summary>Learning rate for a zero-based epoch under the chosen schedule.</summary>
    public double LearningRateAt(int epoch) => LearningRateSchedule switch
    {
        LearningRateSchedule.Step => LearningRate * Math.Pow(LearningRateDecayFactor, epoch / LearningRateDecayEpochs),
        LearningRateSchedule.Cosine => LearningRate * 0.5 * (1 + Math.Cos(Math.PI * epoch / NumberOfEpochs)),
        _ => LearningRate,
    };

    private static void Require(bool ok, string option, string problem)
    {
        if (!ok) throw new ArgumentOutOfRangeException(option, $"{option} {problem}");
    }
}
