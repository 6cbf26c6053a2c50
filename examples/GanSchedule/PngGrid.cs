using System.IO.Compression;

namespace GanSchedule;

/// <summary>Writes grey-scale images as one PNG grid (8-bit grey, no dependencies beyond zlib).</summary>
internal static class PngGrid
{
    /// <summary>Writes <paramref name="rows"/> x <paramref name="columns"/> images of <paramref name="size"/> x
    /// <paramref name="size"/> pixels in [0, 1] (row-major, one after the other) with a 2-pixel gap.</summary>
    public static void Write(string path, float[] images, int rows, int columns, int size = 28, int gap = 2)
    {
        int width = columns * (size + gap) + gap, height = rows * (size + gap) + gap;
        var raw = new byte[height * (width + 1)];                 // each scanline starts with filter byte 0
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
            {
                int image = r * columns + c;
                if ((image + 1) * size * size > images.Length) continue;
                for (int y = 0; y < size; y++)
                    for (int x = 0; x < size; x++)
                    {
                        float v = Math.Clamp(images[image * size * size + y * size + x], 0f, 1f);
                        int py = gap + r * (size + gap) + y, px = gap + c * (size + gap) + x;
                        raw[py * (width + 1) + 1 + px] = (byte)Math.Round(v * 255);
                    }
            }
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) z.Write(raw);

        using var file = File.Create(path);
        file.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        WriteBigEndian(header, 0, width);
        WriteBigEndian(header, 4, height);
        header[8] = 8;   // bit depth
        header[9] = 0;   // grey-scale
        Chunk(file, "IHDR", header);
        Chunk(file, "IDAT", compressed.ToArray());
        Chunk(file, "IEND", []);
    }

    private static void Chunk(Stream stream, string type, byte[] data)
    {
        var length = new byte[4];
        WriteBigEndian(length, 0, data.Length);
        stream.Write(length);
        var typed = new byte[4 + data.Length];
        System.Text.Encoding.ASCII.GetBytes(type).CopyTo(typed, 0);
        data.CopyTo(typed, 4);
        stream.Write(typed);
        var crc = new byte[4];
        WriteBigEndian(crc, 0, (int)Crc32(typed));
        stream.Write(crc);
    }

    private static uint Crc32(byte[] bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }

    private static void WriteBigEndian(byte[] buffer, int offset, int value)
    {
        buffer[offset] = (byte)(value >> 24);
        buffer[offset + 1] = (byte)(value >> 16);
        buffer[offset + 2] = (byte)(value >> 8);
        buffer[offset + 3] = (byte)value;
    }
}
