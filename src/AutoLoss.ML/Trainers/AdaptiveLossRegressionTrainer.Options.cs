using AutoLoss.Core.Teaching;
using AutoLoss.Core.Training;
using AutoLoss.ML.Trainers;

namespace AutoLoss;

public sealed partial class AdaptiveLossRegressionTrainer
{
    /// <summary>Options of <see cref="AdaptiveLossRegressionTrainer"/>: the shared options of
    /// <see cref="AdaptiveLossTrainerOptionsBase"/> (the label is a scalar Single; the student has
    /// one output) plus the regression loss and early-stopping metric.</summary>
    /// <remarks>The student learns the label standardized by the training rows' mean and standard
    /// deviation, and the model maps its output back, so the default learning rate suits labels of
    /// any magnitude. Train losses and validation MSE in the training history are in label units.</remarks>
    public sealed class Options : AdaptiveLossTrainerOptionsBase
    {
        /// <summary>What the student minimises: <see cref="LossOptions.SquaredError"/> (default; the
        /// weighted mean when <see cref="AdaptiveLossTrainerOptionsBase.ExampleWeightColumnName"/> is set).
        /// Classification losses (cross-entropy, parametric, L2T-DLF) are refused.</summary>
        public override LossOptions Loss { get; set; } = LossOptions.SquaredError();

        /// <summary>Validation metric early stopping watches: <see cref="MetricNames.MeanSquaredError"/>
        /// (default and only choice; the classification metrics are refused).</summary>
        public override string EarlyStoppingMetric { get; set; } = MetricNames.MeanSquaredError;
    }
}
