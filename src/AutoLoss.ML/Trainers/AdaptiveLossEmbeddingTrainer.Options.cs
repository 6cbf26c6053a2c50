using AutoLoss.Core.Data;
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

        /// <summary>K, the least number of rows of one class in a training batch. Greater than 0 (default 4): every batch
        /// holds P classes x K rows, P = min(number of classes, BatchSize / RowsPerClass) drawn at random and K = BatchSize / P,
        /// so every row has positives to learn from even among thousands of identities (a class with fewer rows repeats
        /// them); needs the training rows cached (<c>Caching = Auto</c> caches them also when ML.NET cannot count the rows;
        /// <c>Streaming</c> is refused). 0: batches of random rows, as for the other trainers.</summary>
        public int RowsPerClass { get; set; } = 4;

        /// <summary>What the student minimises: the margin loss with distance-weighted sampling (default,
        /// <see cref="MarginLoss"/>), <c>LossOptions.PerExample(() =&gt; new TripletLoss())</c>, or ALA on an embedding loss
        /// (<see cref="AlaEmbeddingLossOptions"/>, which needs validation data). Classification losses are refused.</summary>
        public override LossOptions Loss { get; set; } = LossOptions.PerExample(() => new MarginLoss());

        /// <summary>Validation metric early stopping watches: <see cref="MetricNames.RecallAt1"/> (default; the validation
        /// rows retrieved among each other) or <see cref="MetricNames.MeanAveragePrecisionAtR"/>.</summary>
        public override string EarlyStoppingMetric { get; set; } = MetricNames.RecallAt1;

        // BatchSize / RowsPerClass >= 2 is checked with the options; fewer than 2 labels in the data is refused here.
        internal override ITrainingBatchSource ArrangeBatches(InMemoryDataset rows) =>
            RowsPerClass == 0 ? rows : ClassBalancedBatches.ForBatchSize(rows, BatchSize, RowsPerClass, $"identities in label column '{LabelColumnName}'");

        internal override string? StreamingRefusal => RowsPerClass == 0 ? null :
            $"RowsPerClass is {RowsPerClass}: class-balanced batches need the training rows cached. Set Caching = DataCaching.InMemory (or raise MaxCacheMegabytes), or RowsPerClass = 0 for batches of random rows.";
    }
}
