using AutoLoss.Core.Data;
using Microsoft.ML;
using static TorchSharp.torch;

namespace AutoLoss.ML.Data;

/// <summary>Rows of an IDataView read once into managed arrays (for the in-memory cache and for
/// validation data), validated on the way.</summary>
internal sealed class RowArrays
{
    private RowArrays(float[] features, long[] labels, float[]? weights, int featureCount, LabelCensus census)
    {
        Features = features;
        Labels = labels;
        Weights = weights;
        FeatureCount = featureCount;
        Census = census;
    }

    public float[] Features { get; }
    public long[] Labels { get; }
    public float[]? Weights { get; }
    public int FeatureCount { get; }
    public LabelCensus Census { get; }
    public int Count => Labels.Length;

    /// <summary>Reads every labelled row that <paramref name="include"/> accepts (by position).</summary>
    public static RowArrays Read(IDataView data, TrainingColumns columns, string dataName, Func<long, bool> include, CancellationToken token)
    {
        int f = columns.FeatureCount;
        var features = new List<float>(checked((int)Math.Min((data.GetRowCount() ?? 1024) * f, Array.MaxLength)));
        var labels = new List<long>();
        var weights = columns.Weight is null ? null : new List<float>();
        var census = new LabelCensus(columns.ClassCount);
        var row = new float[f];
        using var cursor = new LabeledRowCursor(data, columns, dataName);
        while (cursor.MoveNext())
        {
            if ((cursor.Position & 0xFF) == 0) token.ThrowIfCancellationRequested();
            if (!include(cursor.Position)) continue;
            long label = cursor.ReadLabel();
            if (label < 0) continue;
            cursor.ReadFeatures(row);
            float weight = cursor.ReadWeight();
            if ((long)features.Count + f > Array.MaxLength)
                throw new InvalidOperationException($"The {dataName} is too large to cache in memory; set Caching = DataCaching.Streaming.");
            features.AddRange(row);
            labels.Add(label);
            weights?.Add(weight);
            census.Counts[label]++;
        }
        return new RowArrays(features.ToArray(), labels.ToArray(), weights?.ToArray(), f, census);
    }

    /// <summary>Copies the rows into tensors on <paramref name="device"/>.</summary>
    public InMemoryDataset ToDataset(Device device) => new(Features, Labels, Weights, FeatureCount, device);
}
