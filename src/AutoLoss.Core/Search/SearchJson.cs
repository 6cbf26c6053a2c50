using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace AutoLoss.Core.Search;

/// <summary>
/// The one set of System.Text.Json settings used for everything a search writes: trials, results, search results and
/// strategy state. Sharing them keeps a description written on one machine readable on another.
/// </summary>
/// <remarks>
/// Property names are camelCase, enums are written by name, and NaN/Infinity are written as the strings "NaN",
/// "Infinity" and "-Infinity" (a missing metric value is NaN). Candidate types must be serialisable with these options.
/// </remarks>
public static class SearchJson
{
    /// <summary>The shared, read-only serializer options.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Writes <paramref name="value"/> as a JSON text.</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>Reads a value written by <see cref="Serialize{T}"/>.</summary>
    /// <exception cref="JsonException">The text is not valid JSON for <typeparamref name="T"/>, or is the literal null.</exception>
    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"The JSON text holds null where a {typeof(T).Name} was expected.");

    /// <summary>Writes <paramref name="value"/> to <paramref name="stream"/> as one length-prefixed JSON document, so
    /// several documents (or other artefacts) can follow each other in the same stream. The stream is left open.</summary>
    public static void WriteDocument<T>(Stream stream, T value)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Serialize(value));
    }

    /// <summary>Reads one document written by <see cref="WriteDocument{T}"/>, leaving the stream open and positioned after it.</summary>
    /// <exception cref="InvalidDataException">The stream does not hold such a document at its position.</exception>
    public static T ReadDocument<T>(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        string json;
        try { json = reader.ReadString(); }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException)
        {
            throw new InvalidDataException($"Expected a saved {typeof(T).Name} document; the stream is empty, truncated or of another format.", e);
        }
        try { return Deserialize<T>(json); }
        catch (JsonException e) { throw new InvalidDataException($"The saved {typeof(T).Name} document is not valid: {e.Message}", e); }
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly();
        return options;
    }
}
