namespace AutoLoss.Core.Search.Nao;

/// <summary>An architecture space seen through a size limit: it draws only architectures with at most
/// <paramref name="maxParameters"/> trainable parameters (all when null). Random search over it is NAO's honest baseline.</summary>
public sealed class SizeLimitedSpace(IArchitectureSpace space, long? maxParameters, int inputs, int outputs) : ISearchSpace<int[]>
{
    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">100,000 draws found no architecture within the limit.</exception>
    public int[] Sample(Random random)
    {
        for (int attempt = 0; attempt < 100_000; attempt++)
        {
            var candidate = space.Sample(random);
            if (maxParameters is not { } max || space.ParameterCount(candidate, inputs, outputs) <= max) return candidate;
        }
        throw new InvalidOperationException($"No architecture of the space has at most {maxParameters} parameters; raise MaxParameters.");
    }

    /// <inheritdoc />
    public string? Key(int[] candidate) => space.Key(candidate);
}
