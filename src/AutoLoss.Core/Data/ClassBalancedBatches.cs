namespace AutoLoss.Core.Data;

/// <summary>
/// P x K batches for metric learning: every batch holds K rows of each of P labels drawn at random, so every row has
/// positives and negatives in its batch (triplet and margin losses need both). An epoch has as many batches as
/// rows / (P x K); each label's rows are visited in a shuffled cycle, reshuffled when used up. The batch size the
/// training loop asks for is ignored: a batch is always P x K rows. Deterministic for a (seed, epoch).
/// </summary>
public sealed class ClassBalancedBatches : ITrainingBatchSource
{
    private readonly InMemoryDataset _data;
    private readonly long[][] _rowsByLabel;

    /// <param name="data">Rows with int64 labels (at least <paramref name="labelsPerBatch"/> distinct ones).</param>
    /// <param name="labelsPerBatch">P, at least 2.</param>
    /// <param name="rowsPerLabel">K, at least 2.</param>
    /// <exception cref="ArgumentException">The labels are not int64, or fewer than P labels occur.</exception>
    public ClassBalancedBatches(InMemoryDataset data, int labelsPerBatch, int rowsPerLabel)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(labelsPerBatch, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowsPerLabel, 2);
        if (data.Labels.dtype != TorchSharp.torch.ScalarType.Int64)
            throw new ArgumentException($"P x K batches group rows by int64 labels; these labels are {data.Labels.dtype}.", nameof(data));
        using var cpu = data.Labels.cpu();
        var labels = cpu.data<long>().ToArray();
        _rowsByLabel = labels.Select((label, row) => (label, row)).GroupBy(p => p.label).OrderBy(g => g.Key)
            .Select(g => g.Select(p => (long)p.row).ToArray()).ToArray();
        if (_rowsByLabel.Length < labelsPerBatch)
            throw new ArgumentException($"P x K batches of {labelsPerBatch} labels need at least {labelsPerBatch} distinct labels; the data has {_rowsByLabel.Length}.", nameof(labelsPerBatch));
        _data = data;
        LabelsPerBatch = labelsPerBatch;
        RowsPerLabel = rowsPerLabel;
    }

    /// <summary>The number of distinct int64 labels of <paramref name="data"/>.</summary>
    public static int DistinctLabels(InMemoryDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var cpu = data.Labels.cpu();
        return cpu.data<long>().ToArray().Distinct().Count();
    }

    /// <summary>P.</summary>
    public int LabelsPerBatch { get; }

    /// <summary>K.</summary>
    public int RowsPerLabel { get; }

    /// <inheritdoc />
    public int FeatureCount => _data.FeatureCount;

    /// <inheritdoc />
    public long? RowCount => _data.Count;

    /// <inheritdoc />
    public IEnumerable<IBatchData> ReadEpoch(int epoch, int batchSize, int seed)
    {
        var random = Shuffling.ForEpoch(seed, epoch);
        var cycles = _rowsByLabel.Select(rows => new Cycle(rows, random)).ToArray();
        int size = LabelsPerBatch * RowsPerLabel, batches = Math.Max(1, _data.Count / size);
        var labelOrder = Enumerable.Range(0, cycles.Length).ToArray();
        for (int b = 0; b < batches; b++)
        {
            random.Shuffle(labelOrder);
            var rows = new long[size];
            for (int p = 0; p < LabelsPerBatch; p++)
                for (int k = 0; k < RowsPerLabel; k++)
                    rows[p * RowsPerLabel + k] = cycles[labelOrder[p]].Next();
            yield return _data.Select(rows, 0, size);
        }
    }

    /// <summary>One label's rows in a shuffled order, reshuffled each time they are used up.</summary>
    private sealed class Cycle(long[] rows, Random random)
    {
        private readonly long[] _order = (long[])rows.Clone();
        private int _next = int.MaxValue;

        public long Next()
        {
            if (_next >= _order.Length)
            {
                random.Shuffle(_order);
                _next = 0;
            }
            return _order[_next++];
        }
    }
}
