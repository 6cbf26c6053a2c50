using AutoLoss.Core.Data;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace AutoLoss.ML.Benchmarks;

/// <summary>Rows of a benchmark task's view (float <c>Label</c> holding class indices, vector <c>Features</c>) as the
/// core's in-memory dataset, for benchmarks that drive the search layer directly.</summary>
internal static class TaskTensors
{
    /// <summary>Rows <c>[start, start + count)</c> of <paramref name="view"/>, in its order.</summary>
    public static InMemoryDataset Rows(IDataView view, int start, int count)
    {
        var rows = view.GetColumn<float[]>("Features").Skip(start).Take(count).ToArray();
        var labels = view.GetColumn<float>("Label").Skip(start).Take(count).Select(l => (long)l).ToArray();
        if (rows.Length != count) throw new ArgumentOutOfRangeException(nameof(count), $"The view has fewer than {start + count} rows.");
        int features = rows[0].Length;
        return new InMemoryDataset(rows.SelectMany(r => r).ToArray(), labels, null, features, CPU);
    }
}
