namespace AutoLoss.Core.Data;

/// <summary>
/// Where the training loop gets its batches: an ML.NET cursor streaming rows (the adapter's source)
/// or a dataset cached as tensors (<see cref="InMemoryDataset"/>). Sources shuffle each epoch from
/// the run's seed so that the same seed yields the same batch order.
/// </summary>
public interface ITrainingBatchSource
{
    /// <summary>Number of features F of each row.</summary>
    int FeatureCount { get; }

    /// <summary>Number of rows per epoch when known in advance, else null.</summary>
    long? RowCount { get; }

    /// <summary>Enumerates one epoch's batches (at most <paramref name="batchSize"/> rows each) in
    /// an order drawn from (<paramref name="seed"/>, <paramref name="epoch"/>).</summary>
    IEnumerable<IBatchData> ReadEpoch(int epoch, int batchSize, int seed);
}
