using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Data;

/// <summary>The largest number of non-zero values in one row of a feature column: the capacity M a sparse-input student
/// needs. One pass that reads only that column, without densifying sparse rows.</summary>
internal static class NonZeroCensus
{
    public static int MaxNonZero(IDataView data, string featureColumn, CancellationToken token)
    {
        var column = data.Schema[featureColumn];
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        var buffer = default(VBuffer<float>);
        int max = 0;
        while (cursor.MoveNext())
        {
            if ((cursor.Position & 0xFFF) == 0) token.ThrowIfCancellationRequested();
            getter(ref buffer);
            int count = 0;
            foreach (float v in buffer.GetValues())
                if (v != 0) count++;
            max = Math.Max(max, count);
        }
        return max;
    }
}
