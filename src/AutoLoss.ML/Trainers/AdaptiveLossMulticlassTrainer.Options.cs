using AutoLoss.Core.Teaching;
using AutoLoss.Core.Training;
using AutoLoss.ML.Trainers;

namespace AutoLoss;

public sealed partial class AdaptiveLossMulticlassTrainer
{
    /// <summary>Options of <see cref="AdaptiveLossMulticlassTrainer"/>: the shared options of
    /// <see cref="AdaptiveLossTrainerOptionsBase"/> (the label is a key type: apply
    /// <c>MapValueToKey</c> first) plus the multiclass loss and early-stopping metric.</summary>
    public sealed class Options : AdaptiveLossTrainerOptionsBase
    {
        /// <summary>What the student minimises: <see cref="LossOptions.CrossEntropy"/> (default),
        /// <see cref="LossOptions.Parametric"/>, or an adaptive method's options.</summary>
        public override LossOptions Loss { get; set; } = LossOptions.CrossEntropy();

        /// <summary>Validation metric early stopping watches: <see cref="MetricNames.Accuracy"/>
        /// (default) or <see cref="MetricNames.LogLoss"/>.</summary>
        public override string EarlyStoppingMetric { get; set; } = MetricNames.Accuracy;
    }
}
