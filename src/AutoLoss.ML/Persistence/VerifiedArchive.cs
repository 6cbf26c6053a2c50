using System.IO.Compression;

namespace AutoLoss.ML.Persistence;

/// <summary>
/// The entries of a model archive, read into memory and verified before any of them is parsed:
/// the whole file against its SHA-256 (<see cref="ArchiveChecksum"/>), and every entry against its
/// zip CRC-32 (the only check of files written before the checksum existed). A damaged file is
/// refused with an <see cref="InvalidDataException"/> naming it, never handed to ML.NET or TorchSharp.
/// </summary>
internal sealed class VerifiedArchive
{
    private readonly Dictionary<string, byte[]> _entries;
    private readonly string _source;

    private VerifiedArchive(Dictionary<string, byte[]> entries, string source, bool checksummed)
    {
        _entries = entries;
        _source = source;
        Checksummed = checksummed;
    }

    /// <summary>Whether the file carried a whole-file SHA-256 (and it matched).</summary>
    public bool Checksummed { get; }

    /// <summary>Reads and verifies every entry of the archive in <paramref name="stream"/> (from its position to its end).</summary>
    /// <param name="stream">The archive.</param>
    /// <param name="source">The file or stream, for messages (e.g. <c>model file '/path/model.zip'</c>).</param>
    /// <exception cref="InvalidDataException">Not a zip archive, or a damaged one.</exception>
    public static VerifiedArchive Read(Stream stream, string source)
    {
        byte[] bytes;
        using (var copy = new MemoryStream())
        {
            stream.CopyTo(copy);
            bytes = copy.ToArray();
        }
        var state = ArchiveChecksum.Check(bytes);
        if (state == ArchiveChecksum.State.Mismatch)
            throw Damaged(source, "its SHA-256 checksum does not match its contents (bytes changed after it was saved)");

        ZipArchive zip;
        try
        {
            zip = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException or NotSupportedException)
        {
            throw new InvalidDataException($"Not an AutoLoss.ML model file, or a damaged one: the {source} is not a zip archive written by mlContext.Model.SaveWithAutoLoss.", e);
        }
        using (zip)
        {
            var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            string? failed = null;
            try
            {
                foreach (var entry in zip.Entries)
                {
                    using var copy = new MemoryStream();
                    using (var s = entry.Open()) s.CopyTo(copy);
                    var data = copy.ToArray();
                    if (Crc32.Compute(data) != entry.Crc32)
                        failed = $"entry '{entry.FullName}' fails its CRC-32 check";
                    else if (!entries.TryAdd(entry.FullName, data))
                        failed = $"entry '{entry.FullName}' appears twice";
                    if (failed is not null) break;
                }
            }
            catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException or NotSupportedException or OverflowException)
            {
                // Only managed zip parsing runs here: any failure means damaged bytes.
                throw Damaged(source, $"an entry cannot be read ({e.Message})", e);
            }
            if (failed is not null) throw Damaged(source, failed);
            return new VerifiedArchive(entries, source, state == ArchiveChecksum.State.Valid);
        }
    }

    /// <summary>The error for a damaged model file: names it, says what failed and what to do.</summary>
    public static InvalidDataException Damaged(string source, string detail, Exception? inner = null) =>
        new($"The AutoLoss.ML {source} is damaged (corrupt): {detail}. Nothing was loaded; save the model again or restore the file from a copy.", inner);

    /// <summary>Whether the archive has an entry called <paramref name="name"/>.</summary>
    public bool Contains(string name) => _entries.ContainsKey(name);

    /// <summary>A read-only stream over a verified entry.</summary>
    /// <exception cref="InvalidDataException">There is no such entry.</exception>
    public MemoryStream Open(string name) =>
        _entries.TryGetValue(name, out var data)
            ? new MemoryStream(data, writable: false)
            : throw Damaged(_source, $"entry '{name}' is missing");
}
