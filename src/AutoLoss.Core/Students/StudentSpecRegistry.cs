namespace AutoLoss;

/// <summary>
/// Maps the type tag a saved <see cref="StudentSpec"/> starts with to the reader that rebuilds it, so a new student
/// architecture is saved and loaded without editing any other: built-in specs are registered here, and a user's own
/// spec registers its reader (<see cref="Register"/>) before a model that uses it is loaded.
/// </summary>
public static class StudentSpecRegistry
{
    private static readonly Dictionary<string, Func<BinaryReader, StudentSpec>> Readers = new(StringComparer.Ordinal)
    {
        [MlpSpec.Tag] = MlpSpec.ReadSettings,
        [ConvNetSpec.Tag] = ConvNetSpec.ReadSettings,
        [TorchModuleSpec.Tag] = TorchModuleSpec.ReadSettings,
        [DeepFmSpec.Tag] = DeepFmSpec.ReadSettings,
        [SparseInputSpec.Tag] = SparseInputSpec.ReadSettings,
    };

    /// <summary>Registers the reader of the specs saved with type tag <paramref name="tag"/> (the spec's
    /// <c>TypeTag</c>). Registering the same reader again is harmless; another reader for a taken tag is refused.</summary>
    /// <exception cref="ArgumentException">The tag is empty or already belongs to another reader.</exception>
    public static void Register(string tag, Func<BinaryReader, StudentSpec> read)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tag);
        ArgumentNullException.ThrowIfNull(read);
        lock (Readers)
        {
            if (Readers.TryGetValue(tag, out var existing) && existing != read)
                throw new ArgumentException($"Student type tag '{tag}' is already registered to another reader; give your spec a tag of its own.", nameof(tag));
            Readers[tag] = read;
        }
    }

    /// <summary>True when a reader for <paramref name="tag"/> is registered.</summary>
    public static bool IsRegistered(string tag)
    {
        lock (Readers) return Readers.ContainsKey(tag);
    }

    /// <summary>Reads the settings that follow <paramref name="tag"/> with its registered reader.</summary>
    /// <exception cref="InvalidDataException">No reader is registered for the tag.</exception>
    internal static StudentSpec Read(string tag, BinaryReader reader)
    {
        Func<BinaryReader, StudentSpec>? read;
        lock (Readers) Readers.TryGetValue(tag, out read);
        if (read is null)
            throw new InvalidDataException(
                $"The model file's student architecture has type tag '{tag}', which no reader is registered for. If it is your own StudentSpec, " +
                $"call StudentSpecRegistry.Register(\"{tag}\", reader) before loading; otherwise the file was written by a newer AutoLoss.ML version.");
        return read(reader);
    }
}
