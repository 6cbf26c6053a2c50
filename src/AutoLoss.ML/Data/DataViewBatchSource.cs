using AutoLoss.Core.Data;
using Microsoft.ML;

namespace AutoLoss.ML.Data;

/// <summary>
/// Streams training batches from an IDataView through a cursor every epoch, without holding the
/// data in memory: rows pass through a shuffle pool (random order within <c>poolSize</c> rows, drawn
/// from the seed and epoch) and held-out validation rows are skipped by position. Regression labels
/// are scaled by <paramref name="scaling"/>.
/// </summary>
internal sealed class DataViewBatchSource(IDataView data, TrainingColumns columns, LabelStandardization scaling, HoldOut holdOut, int poolSize, long rowCount) : ITrainingBatchSource
{
    public int FeatureCount => columns.RowWidth;

    public long? RowCount => rowCount;

    public IEnumerable<IBatchData> ReadEpoch(int epoch, int batchSize, int seed)
    {
        int f = columns.RowWidth;
        var random = Shuffling.ForEpoch(seed, epoch);
        var poolFeatures = new float[(long)poolSize * f];
        var poolLabels = new double[poolSize];
        var poolWeights = new float[poolSize];
        int filled = 0;
        var batch = new BatchBuilder(columns.Task, scaling, batchSize, f, columns.Weight is not null);

        using var cursor = new LabeledRowCursor(data, columns, "training data");
        while (cursor.MoveNext())
        {
            if (holdOut.Contains(cursor.Position)) continue;
            if (!cursor.TryReadLabel(out double label)) continue;
            int slot;
            if (filled < poolSize)
            {
                slot = filled++;
            }
            else
            {
                // Pool full: emit a random resident row and put the new row in its place.
                slot = random.Next(poolSize);
                if (batch.Add(poolFeatures.AsSpan(slot * f, f), poolLabels[slot], poolWeights[slot]) is { } full)
                    yield return full;
            }
            cursor.ReadFeatures(poolFeatures.AsSpan(slot * f, f));
            poolLabels[slot] = label;
            poolWeights[slot] = cursor.ReadWeight();
        }

        // Drain the pool in random order.
        for (int remaining = filled; remaining > 0; remaining--)
        {
            int pick = random.Next(remaining);
            if (batch.Add(poolFeatures.AsSpan(pick * f, f), poolLabels[pick], poolWeights[pick]) is { } full)
                yield return full;
            int last = remaining - 1;
            poolFeatures.AsSpan(last * f, f).CopyTo(poolFeatures.AsSpan(pick * f, f));
            poolLabels[pick] = poolLabels[last];
            poolWeights[pick] = poolWeights[last];
        }
        if (batch.Flush() is { } rest)
            yield return rest;
    }

    /// <summary>Accumulates rows into fresh arrays and hands them out as <see cref="ArrayBatch"/>es.</summary>
    private sealed class BatchBuilder(TrainingTask task, LabelStandardization scaling, int batchSize, int featureCount, bool hasWeights)
    {
        private float[] _features = new float[batchSize * featureCount];
        private double[] _labels = new double[batchSize];
        private float[]? _weights = hasWeights ? new float[batchSize] : null;
        private int _count;

        public ArrayBatch? Add(ReadOnlySpan<float> features, double label, float weight)
        {
            features.CopyTo(_features.AsSpan(_count * featureCount, featureCount));
            _labels[_count] = label;
            if (_weights is not null) _weights[_count] = weight;
            return ++_count == batchSize ? Flush() : null;
        }

        public ArrayBatch? Flush()
        {
            if (_count == 0) return null;
            var result = LabelEncoding.Batch(task, scaling,
                _features.AsSpan(0, _count * featureCount).ToArray(), _labels.AsSpan(0, _count),
                _weights?.AsSpan(0, _count).ToArray(), featureCount);
            _count = 0;
            return result;
        }
    }
}
