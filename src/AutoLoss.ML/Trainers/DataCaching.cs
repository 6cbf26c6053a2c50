namespace AutoLoss;

/// <summary>Whether training data is cached as one tensor or streamed through IDataView cursors.</summary>
public enum DataCaching
{
    /// <summary>Cache when the row count is known and the features fit in
    /// <see cref="AdaptiveLossTrainerOptionsBase.MaxCacheMegabytes"/>; stream otherwise.</summary>
    Auto,
    /// <summary>Always cache: read every row once, then select batches from a tensor (fastest).</summary>
    InMemory,
    /// <summary>Never cache: read every epoch through a cursor with a shuffle pool (bounded memory).</summary>
    Streaming,
}
