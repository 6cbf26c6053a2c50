using AutoLoss.Core.Data;
using Microsoft.ML;
using static TorchSharp.torch;

namespace AutoLoss.ML.Data;

/// <summary>Rows of an IDataView read once into managed arrays (for the in-memory cache and for
/// validation data), validated on the way.</summary>
internal sealed class RowArrays
{
    private RowArrays(TrainingTask task, float[] features, double[] labels, float[]? weights, int featureCount, LabelCensus census)
    {
        Task = task;
        Features = features;
        Labels = labels;
        Weights = weights;
        FeatureCount = featureCount;
        Census = census;
    }

    public TrainingTask Task { get; }
    public float[] Features { get; }

    /// <summary>Labels as <see cref="LabelEncoding"/> describes.</summary>
    public double[] Labels { get; }
    public float[]? Weights { get; }
    public int FeatureCount { get; }
    public LabelCensus Census { get; }
    public int Count => Labels.Length;

    /// <summary>Reads every labelled row that <paramref name="include"/> accepts (by position).</summary>
    public static RowArrays Read(IDataView data, TrainingColumns columns, string dataName, Func<long, bool> include, CancellationToken token)
    {
        int f = columns.RowWidth;
        var features = new List<float>(checked((int)Math.Min((data.GetRowCount() ?? 1024) * f, Array.MaxLength)));
        var labels = new List<double>();
        var weights = columns.Weight is null ? null : new List<float>();
        var census = new LabelCensus(columns.ClassCount);
        var row = new float[f];
        using var cursor = new LabeledRowCursor(data, columns, dataName);
        while (cursor.MoveNext())
        {
            if ((cursor.Position & 0xFF) == 0) token.ThrowIfCancellationRequested();
            if (!include(cursor.Position)) continue;
            if (!cursor.TryReadLabel(out double label)) continue;
            cursor.ReadFeatures(row);
            float weight = cursor.ReadWeight();
            if ((long)features.Count + f > Array.MaxLength)
                throw new InvalidOperationException($"The {dataName} is too large to cache in memory; set Caching = DataCaching.Streaming.");
            features.AddRange(row);
            labels.Add(label);
            weights?.Add(weight);
            census.Add(label);
        }
        return new RowArrays(columns.Task, features.ToArray(), labels.ToArray(), weights?.ToArray(), f, census);
    }

    /// <summary>The rows of <paramref name="first"/> then <paramref name="second"/> (same columns) as one dataset.</summary>
    public static InMemoryDataset Concatenate(RowArrays first, RowArrays second, Device device, LabelStandardization scaling) =>
        LabelEncoding.Dataset(first.Task, scaling, [.. first.Features, .. second.Features], [.. first.Labels, .. second.Labels],
            first.Weights is null || second.Weights is null ? null : [.. first.Weights, .. second.Weights], first.FeatureCount, device);

    /// <summary>Copies the rows into tensors on <paramref name="device"/>, regression labels scaled by
    /// <paramref name="scaling"/> (the training labels').</summary>
    public InMemoryDataset ToDataset(Device device, LabelStandardization scaling) => LabelEncoding.Dataset(Task, scaling, Features, Labels, Weights, FeatureCount, device);
}
