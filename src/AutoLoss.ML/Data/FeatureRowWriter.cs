using AutoLoss.Core.Data;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Data;

/// <summary>
/// Turns one row's feature vector into the student's input row: a dense copy of its <see cref="FeatureCount"/> values,
/// or, for a sparse-input student, its non-zero (slot, value) pairs (<see cref="SparseRowEncoding"/>, width 2M), read
/// straight from a sparse <see cref="VBuffer{T}"/> without densifying it.
/// </summary>
internal sealed class FeatureRowWriter
{
    private int[] _slots = [];

    /// <param name="featureCount">Length of the feature column.</param>
    /// <param name="maxNonZero">M for a sparse-input student; 0 for a dense row.</param>
    public FeatureRowWriter(int featureCount, int maxNonZero)
    {
        FeatureCount = featureCount;
        MaxNonZero = maxNonZero;
        RowWidth = Width(featureCount, maxNonZero);
    }

    /// <summary>M of a student: its pair capacity when it is a <see cref="SparseInputSpec"/>, else 0 (dense rows).</summary>
    public static int MaxNonZeroOf(StudentSpec spec) => spec is SparseInputSpec sparse ? sparse.MaxNonZero : 0;

    /// <summary>Values per input row for a feature column of <paramref name="featureCount"/> slots: the slots, or 2M.</summary>
    public static int Width(int featureCount, int maxNonZero) => maxNonZero > 0 ? SparseRowEncoding.Width(maxNonZero) : featureCount;

    public int FeatureCount { get; }

    public int MaxNonZero { get; }

    /// <summary>Values per input row: <see cref="FeatureCount"/>, or 2M.</summary>
    public int RowWidth { get; }

    public bool IsSparse => MaxNonZero > 0;

    /// <summary>Writes <paramref name="source"/> into <paramref name="destination"/> (<see cref="RowWidth"/> values).</summary>
    /// <exception cref="InvalidOperationException">The vector's length is not <see cref="FeatureCount"/>, or a sparse row
    /// has more than M non-zero entries; the message names the column, the row (<paramref name="where"/>) and the fix.</exception>
    public void Write(in VBuffer<float> source, Span<float> destination, string column, Func<string> where)
    {
        if (source.Length != FeatureCount)
            throw new InvalidOperationException($"Feature column '{column}' has {source.Length} values at {where()}; the student was trained on {FeatureCount}. Build the features with the same fitted transforms.");
        if (!IsSparse)
        {
            source.CopyTo(destination);
            return;
        }
        var values = source.GetValues();
        ReadOnlySpan<int> slots;
        if (source.IsDense)
        {
            if (_slots.Length < values.Length) _slots = Enumerable.Range(0, values.Length).ToArray();
            slots = _slots.AsSpan(0, values.Length);
        }
        else
        {
            slots = source.GetIndices();
        }
        if (!SparseRowEncoding.TryEncode(slots, values, destination))
            throw new InvalidOperationException(
                $"Feature column '{column}' has more than {MaxNonZero} non-zero values at {where()}, the most the sparse-input student takes " +
                "(the largest count in its training rows, or its MaxNonZero); train it with SparseInputSpec.MaxNonZero set high enough for such rows.");
    }
}
