using AutoLoss.Core.Search;

namespace AutoLoss;

/// <summary>
/// Architectures as fixed-length token sequences (NAO's discrete representation): position i holds a token in
/// 0..<see cref="PositionSizes"/>[i] - 1. A space decodes every valid sequence to a student spec, encodes every spec it
/// can express back to its sequence, and knows which sequences are the same architecture (its symmetries), which NAO
/// uses to augment the controller's training data.
/// </summary>
public interface IArchitectureSpace : ISearchSpace<int[]>
{
    /// <summary>How many tokens each position can take.</summary>
    IReadOnlyList<int> PositionSizes { get; }

    /// <summary>The student spec of <paramref name="tokens"/>.</summary>
    /// <exception cref="ArgumentException">A token is out of its position's range.</exception>
    StudentSpec Decode(int[] tokens);

    /// <summary>The canonical sequence of <paramref name="spec"/>.</summary>
    /// <exception cref="ArgumentException">The spec is not in this space; the message names what is not.</exception>
    int[] Encode(StudentSpec spec);

    /// <summary>The one sequence every equivalent of <paramref name="tokens"/> maps to (tokens that do not change the
    /// architecture set to 0).</summary>
    int[] Canonical(int[] tokens);

    /// <summary>Other sequences of the same architecture (for the controller's data augmentation), at most
    /// <paramref name="count"/>, drawn from <paramref name="random"/>.</summary>
    IReadOnlyList<int[]> Equivalents(int[] tokens, int count, Random random);

    /// <summary>Trainable parameters of the decoded student for <paramref name="inputs"/> features and
    /// <paramref name="outputs"/> outputs.</summary>
    long ParameterCount(int[] tokens, int inputs, int outputs);
}
