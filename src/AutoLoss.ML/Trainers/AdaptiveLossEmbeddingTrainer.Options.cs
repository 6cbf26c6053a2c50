using AutoLoss.Core.Teaching;
using AutoLoss.ML.Trainers;

namespace AutoLoss;

public sealed partial class AdaptiveLossEmbeddingTrainer
{
    /// <summary>Options of <see cref="AdaptiveLossEmbeddingTrainer"/>: the shared options of
    /// <see cref="AdaptiveLossTrainerOptionsBase"/> (the label is a key type naming each row's identity or class: apply
    /// <c>MapValueToKey</c> first) plus the embedding's size, the metric-learning loss and the early-stopping metric.</summary>
    public sealed class Options : AdaptiveLossTrainerOptionsBase
    {
        /// <summary>D, the length of the <c>Embedding</c> column (the student's output size). Default 64.</summary>
        public int EmbeddingSize { get; set; } = 64;

        /// <summary>What the student minimises: the margin loss with distance-weighted sampling (default,
        /// <see cref="MarginLoss"/>), <c>LossOptions.PerExample(() =&gt; new TripletLoss())</c>, or ALA on an embedding loss
        /// (<see cref="AlaEmbeddingLossOptions"/>, which needs validation data). Classification losses are refused.</summary>
        public override LossOptions Loss { get; set; } = LossOptions.PerExample(() => new MarginLoss());

        /// <summary>Validation metric early stopping watches: <see cref="MetricNames.RecallAt1"/> (default; the validation
        /// rows retrieved among each other) or <see cref="MetricNames.MeanAveragePrecisionAtR"/>.</summary>
        public override string EarlyStoppingMetric { get; set; } = MetricNames.RecallAt1;
    }
}
