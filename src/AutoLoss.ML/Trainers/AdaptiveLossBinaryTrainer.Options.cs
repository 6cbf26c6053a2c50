using AutoLoss.Core.Teaching;
using AutoLoss.Core.Training;
using AutoLoss.ML.Trainers;

namespace AutoLoss;

public sealed partial class AdaptiveLossBinaryTrainer
{
    /// <summary>Options of <see cref="AdaptiveLossBinaryTrainer"/>: the shared options of
    /// <see cref="AdaptiveLossTrainerOptionsBase"/> (the label is Boolean, true = positive) plus the loss and
    /// early-stopping metric. The student is a two-class classifier, so every classification loss applies.</summary>
    public sealed class Options : AdaptiveLossTrainerOptionsBase
    {
        /// <summary>What the student minimises: <see cref="LossOptions.CrossEntropy"/> (default),
        /// <see cref="LossOptions.Parametric"/> with a 2 x 2 Phi (row/column 0 = negative, 1 = positive), or an
        /// adaptive method's options (ALA aligns to AUCPR by default on a binary task).</summary>
        public override LossOptions Loss { get; set; } = LossOptions.CrossEntropy();

        /// <summary>Validation metric early stopping watches: <see cref="MetricNames.Accuracy"/>
        /// (default), <see cref="MetricNames.LogLoss"/>, or
        /// <see cref="MetricNames.AreaUnderPrecisionRecallCurve"/> (suits imbalanced labels).</summary>
        public override string EarlyStoppingMetric { get; set; } = MetricNames.Accuracy;
    }
}
