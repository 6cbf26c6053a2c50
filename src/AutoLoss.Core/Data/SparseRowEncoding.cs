namespace AutoLoss.Core.Data;

/// <summary>
/// How a row of a high-dimensional sparse vector travels as an ordinary dense row: its non-zero entries as
/// (slot, value) pairs, [s_0, v_0, s_1, v_1, ...], padded with (-1, 0) up to a fixed capacity of M pairs (width 2M).
/// Batches, caches, shuffling and validation then work unchanged, and memory is rows x 2M instead of rows x slots. Slots
/// are stored as float, exact up to 2^24 (<see cref="MaxSlots"/>).
/// </summary>
public static class SparseRowEncoding
{
    /// <summary>The largest vector length whose slot indices a float holds exactly: 2^24.</summary>
    public const int MaxSlots = 1 << 24;

    /// <summary>Width of an encoded row of capacity <paramref name="maxNonZero"/>: 2M.</summary>
    public static int Width(int maxNonZero) => checked(2 * maxNonZero);

    /// <summary>Writes the pairs of <paramref name="slots"/> and <paramref name="values"/> (same length, at most
    /// destination.Length / 2) into <paramref name="destination"/>, padding the rest with (-1, 0). Zero values are
    /// skipped.</summary>
    /// <returns>False when the row has more non-zero entries than the destination holds (nothing is then promised
    /// about the destination's contents).</returns>
    public static bool TryEncode(ReadOnlySpan<int> slots, ReadOnlySpan<float> values, Span<float> destination)
    {
        if (slots.Length != values.Length) throw new ArgumentException("Slots and values must have the same length.", nameof(values));
        int capacity = destination.Length / 2, written = 0;
        for (int i = 0; i < slots.Length; i++)
        {
            if (values[i] == 0) continue;
            if (written == capacity) return false;
            destination[2 * written] = slots[i];
            destination[2 * written + 1] = values[i];
            written++;
        }
        for (int i = written; i < capacity; i++)
        {
            destination[2 * i] = -1;
            destination[2 * i + 1] = 0;
        }
        return true;
    }
}
