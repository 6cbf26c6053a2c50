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
        : this(data, RowsByLabel(data), labelsPerBatch, rowsPerLabel)
    {
    }

    private ClassBalancedBatches(InMemoryDataset data, long[][] rowsByLabel, int labelsPerBatch, int rowsPerLabel)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(labelsPerBatch, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowsPerLabel, 2);
        _rowsByLabel = rowsByLabel;
        if (_rowsByLabel.Length < labelsPerBatch)
            throw new ArgumentException($"P x K batches of {labelsPerBatch} labels need at least {labelsPerBatch} distinct labels; the data has {_rowsByLabel.Length}.", nameof(labelsPerBatch));
        _data = data;
        LabelsPerBatch = labelsPerBatch;
        RowsPerLabel = rowsPerLabel;
    }

    /// <summary>
    /// Batches of about <paramref name="batchSize"/> rows with at least <paramref name="minimumRowsPerLabel"/> of each label:
    /// P = min(labels, batchSize / minimumRowsPerLabel), K = max(2, batchSize / P).
    /// </summary>
    /// <exception cref="ArgumentException">The labels are not int64, fewer than 2 labels occur, or batchSize / minimumRowsPerLabel is below 2.</exception>
    /// <param name="data">Rows with int64 labels.</param>
    /// <param name="batchSize">Rows per batch wanted.</param>
    /// <param name="minimumRowsPerLabel">The least K.</param>
    /// <param name="labelsName">What the labels are, for the error message (e.g. "identities in label column 'Label'").</param>
    public static ClassBalancedBatches ForBatchSize(InMemoryDataset data, int batchSize, int minimumRowsPerLabel, string labelsName = "labels")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumRowsPerLabel, 1);
        var rowsByLabel = RowsByLabel(data);
        if (rowsByLabel.Length < 2)
            throw new ArgumentException($"The training data has {rowsByLabel.Length} distinct {labelsName}; class-balanced batches need rows of at least 2.", nameof(data));
        int labels = Math.Min(batchSize / minimumRowsPerLabel, rowsByLabel.Length);
        return new ClassBalancedBatches(data, rowsByLabel, labels, Math.Max(2, batchSize / Math.Max(1, labels)));
    }

    /// <summary>Each label's row indices, labels in ascending order.</summary>
    private static long[][] RowsByLabel(InMemoryDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Labels.dtype != TorchSharp.torch.ScalarType.Int64)
            throw new ArgumentException($"P x K batches group rows by int64 labels; these labels are {data.Labels.dtype}.", nameof(data));
        using var cpu = data.Labels.cpu();
        return cpu.data<long>().ToArray().Select((label, row) => (label, row)).GroupBy(p => p.label).OrderBy(g => g.Key)
            .Select(g => g.Select(p => (long)p.row).ToArray()).ToArray();
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
