namespace AutoLoss.Core.Search.Nao;

/// <summary>The check every architecture space makes before reading a sequence.</summary>
internal static class ArchitectureTokens
{
    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="tokens"/> has one token per position, each
    /// within its position's range.</summary>
    public static void Check(int[] tokens, IReadOnlyList<int> positionSizes)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (tokens.Length != positionSizes.Count)
            throw new ArgumentException($"A sequence of this space has {positionSizes.Count} tokens; {tokens.Length} were given.", nameof(tokens));
        for (int i = 0; i < tokens.Length; i++)
            if (tokens[i] < 0 || tokens[i] >= positionSizes[i])
                throw new ArgumentException($"Token {i} is {tokens[i]}; it must be in 0..{positionSizes[i] - 1}.", nameof(tokens));
    }
}
