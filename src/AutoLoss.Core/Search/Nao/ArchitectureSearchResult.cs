using System.Text.Json;
using AutoLoss.Core.IO;
using AutoLoss.Core.Search;
using AutoLoss.Core.Search.Nao;

namespace AutoLoss;

/// <summary>One architecture a student search evaluated: its tokens, the student it decodes to, its validation score
/// and its trainable parameters.</summary>
public sealed record EvaluatedStudent(int TrialId, int[] Tokens, string Student, double Score, long Parameters);

/// <summary>
/// What a student search (NAO or random search) leaves: the best architecture, every evaluated one with its score and
/// size, and the search's state (for NAO, the trained controller) to continue it later. Save it as JSON; decode the best
/// architecture with <see cref="BestStudent"/> and train it like any student.
/// </summary>
public sealed record ArchitectureSearchResult
{
    /// <summary>"nao" or "random".</summary>
    public required string Strategy { get; init; }

    /// <summary>The validation metric the scores measure (e.g. "Accuracy").</summary>
    public required string MetricName { get; init; }

    /// <summary>True when a larger score is better.</summary>
    public bool HigherIsBetter { get; init; }

    /// <summary>Every evaluated architecture, in trial order.</summary>
    public IReadOnlyList<EvaluatedStudent> Evaluated { get; init; } = [];

    /// <summary>The trial id the next trial of a continued search takes.</summary>
    public int NextTrialId { get; init; }

    /// <summary>The search seed (trial seeds derive from it).</summary>
    public int Seed { get; init; }

    /// <summary>The strategy's saved state (base64), including NAO's controller.</summary>
    public string StrategyState { get; init; } = "";

    /// <summary>The best evaluated architecture.</summary>
    /// <exception cref="InvalidOperationException">Nothing was evaluated.</exception>
    public EvaluatedStudent Best => Evaluated.Where(e => double.IsFinite(e.Score)).OrderBy(e => HigherIsBetter ? -e.Score : e.Score).ThenBy(e => e.TrialId).FirstOrDefault()
        ?? throw new InvalidOperationException("The search evaluated no architecture to completion.");

    /// <summary>The best architecture as a student spec of <paramref name="space"/> (the space the search used).</summary>
    public StudentSpec BestStudent(IArchitectureSpace space) => (space ?? throw new ArgumentNullException(nameof(space))).Decode(Best.Tokens);

    /// <summary>Writes the result as JSON.</summary>
    public void Save(Stream stream) => JsonSerializer.Serialize(stream, this, Indented);

    /// <summary>Writes the result to a file, atomically.</summary>
    public void Save(string path) => AtomicFile.Write(path, Save);

    /// <summary>Reads a result written by <see cref="Save(Stream)"/>.</summary>
    /// <exception cref="InvalidDataException">Not a student search result.</exception>
    public static ArchitectureSearchResult Load(Stream stream)
    {
        try
        {
            return JsonSerializer.Deserialize<ArchitectureSearchResult>(stream, Indented) ?? throw new InvalidDataException("The file holds null.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException("The stream does not hold a student search result: " + e.Message, e);
        }
    }

    /// <summary>Reads a result from a file.</summary>
    public static ArchitectureSearchResult Load(string path)
    {
        using var stream = File.OpenRead(path);
        return Load(stream);
    }

    private static readonly JsonSerializerOptions Indented = new(SearchJson.Options) { WriteIndented = true };
}
