using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace AutoLoss.ML.Persistence;

/// <summary>
/// Whole-file integrity of a model archive: the SHA-256 of every byte before it, stored as the zip
/// archive's comment, which is the end of the file and which zip readers skip. A changed byte anywhere
/// (entry data, zip headers, the checksum itself) fails <see cref="Check"/>, including bytes a per-entry
/// CRC would miss. It runs before any byte reaches ML.NET's loader or TorchSharp, where a corrupt
/// tensor could abort the process instead of throwing.
/// </summary>
internal static class ArchiveChecksum
{
    private const int EndRecordSize = 22; // zip end-of-central-directory record, without its comment
    private const uint EndRecordSignature = 0x06054b50;
    private static readonly byte[] Prefix = "AutoLoss.ML sha256 "u8.ToArray();
    private static readonly int CommentSize = Prefix.Length + 2 * SHA256.HashSizeInBytes;

    /// <summary>What <see cref="Check"/> found at the end of a file.</summary>
    public enum State
    {
        /// <summary>No checksum: not written by this format (or its end is destroyed).</summary>
        Absent,
        /// <summary>The checksum matches every byte before it.</summary>
        Valid,
        /// <summary>A checksum is there but the bytes do not match it: the file is damaged.</summary>
        Mismatch,
    }

    /// <summary>Appends the checksum comment to a zip archive written without a comment.</summary>
    public static byte[] Seal(ReadOnlySpan<byte> archive)
    {
        int end = archive.Length - EndRecordSize;
        if (end < 0 || BinaryPrimitives.ReadUInt32LittleEndian(archive[end..]) != EndRecordSignature
            || BinaryPrimitives.ReadUInt16LittleEndian(archive[^2..]) != 0)
            throw new InvalidOperationException("The model archive does not end with a zip end record without comment; it cannot be sealed.");
        var file = new byte[archive.Length + CommentSize];
        archive.CopyTo(file);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(archive.Length - 2), (ushort)CommentSize);
        Prefix.CopyTo(file.AsSpan(archive.Length));
        Hex(SHA256.HashData(file.AsSpan(0, archive.Length))).CopyTo(file.AsSpan(archive.Length + Prefix.Length));
        return file;
    }

    /// <summary>Whether <paramref name="file"/> ends with a checksum, and whether it matches.</summary>
    public static State Check(ReadOnlySpan<byte> file)
    {
        int commentStart = file.Length - CommentSize;
        int end = commentStart - EndRecordSize;
        if (end < 0 || !file[commentStart..].StartsWith(Prefix)) return State.Absent;
        bool intact = BinaryPrimitives.ReadUInt32LittleEndian(file[end..]) == EndRecordSignature
            && BinaryPrimitives.ReadUInt16LittleEndian(file[(commentStart - 2)..]) == CommentSize
            && file[(commentStart + Prefix.Length)..].SequenceEqual(Hex(SHA256.HashData(file[..commentStart])));
        return intact ? State.Valid : State.Mismatch;
    }

    private static byte[] Hex(byte[] hash) => Encoding.ASCII.GetBytes(Convert.ToHexString(hash));
}
