namespace AutoLoss;

/// <summary>Spatial pooling at the end of a <see cref="ConvBlock"/>.</summary>
public enum Pooling
{
    /// <summary>No pooling.</summary>
    None,
    /// <summary>Maximum over each PoolSize x PoolSize window (stride PoolSize).</summary>
    Max,
    /// <summary>Mean over each PoolSize x PoolSize window (stride PoolSize).</summary>
    Average,
}
