using System.Text.Json;
using AutoLoss.Core.IO;
using AutoLoss.Core.Search;

namespace AutoLoss;

/// <summary>
/// The artefact of a loss search: the white-box loss as expression text, with its provenance (the method, the search
/// settings, the fitness of every generation, what the search cost). Apply it frozen to a new student on other data
/// with <see cref="ToLossOptions"/>; save it as JSON next to the models it trains.
/// </summary>
public sealed record SearchedLoss
{
    /// <summary>The search that found the loss, e.g. "AutoLoss-Zero" or "Taylor CMA-ES".</summary>
    public required string Method { get; init; }

    /// <summary>The loss as text in the expression language (<see cref="LossExpression"/>).</summary>
    public required string Expression { get; init; }

    /// <summary>The search metric (e.g. "error") its fitness measures.</summary>
    public required string MetricName { get; init; }

    /// <summary>True when larger metric values are better.</summary>
    public bool HigherIsBetter { get; init; }

    /// <summary>The loss's fitness in the search (the metric after the proxy training runs).</summary>
    public double Fitness { get; init; }

    /// <summary>The settings the search ran with, by name.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>The best and mean fitness of every generation.</summary>
    public IReadOnlyList<SearchedLossGeneration> Generations { get; init; } = [];

    /// <summary>What the search cost: candidates trained, rejected, skipped, wall time in seconds, by name.</summary>
    public IReadOnlyDictionary<string, double> Cost { get; init; } = new Dictionary<string, double>();

    /// <summary>The expression, parsed.</summary>
    public LossExpression Parse() => LossExpression.Parse(Expression);

    /// <summary>Options that train a student with this loss, frozen (<see cref="LossOptions.Expression(string)"/>).</summary>
    public FixedLossOptions ToLossOptions() => LossOptions.Expression(Expression);

    /// <summary>Writes the artefact as JSON to <paramref name="stream"/>.</summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        JsonSerializer.Serialize(stream, this, SearchJsonIndented);
    }

    /// <summary>Writes the artefact to a file, atomically.</summary>
    public void Save(string path) => AtomicFile.Write(path, Save);

    /// <summary>Reads an artefact written by <see cref="Save(Stream)"/>.</summary>
    /// <exception cref="InvalidDataException">Not a searched loss, or its expression does not parse.</exception>
    public static SearchedLoss Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        SearchedLoss loaded;
        try
        {
            loaded = JsonSerializer.Deserialize<SearchedLoss>(stream, SearchJsonIndented) ?? throw new InvalidDataException("The searched-loss file holds null.");
            _ = loaded.Parse();
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new InvalidDataException("The stream does not hold a valid searched loss: " + e.Message, e);
        }
        return loaded;
    }

    /// <summary>Reads an artefact from a file.</summary>
    public static SearchedLoss Load(string path)
    {
        using var stream = File.OpenRead(path);
        return Load(stream);
    }

    private static readonly JsonSerializerOptions SearchJsonIndented = new(SearchJson.Options) { WriteIndented = true };
}

/// <summary>One generation of a loss search: its best expression, best and mean fitness.</summary>
public sealed record SearchedLossGeneration(int Generation, string Best, double BestFitness, double MeanFitness);
