using AutoLoss.ML.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Scoring;

/// <summary>
/// The lazy output of <c>Transform</c>: the input rows plus the model's output columns, computed only
/// when a cursor asks for them, and then in batches. A second ("lead") cursor over the input reads
/// the features of the next batch ahead of the row the caller is on, so the caller's cursor keeps
/// every input column of its own row intact.
/// </summary>
internal sealed class ScoredDataView : IDataView
{
    private readonly IDataView input;
    private readonly DataViewSchema schema;
    private readonly IBatchScorer scorer;
    private readonly IOutputColumns outputColumns;
    private readonly string featureColumn;
    private readonly int batchSize;

    public ScoredDataView(IDataView input, DataViewSchema schema, IBatchScorer scorer, IOutputColumns outputColumns, string featureColumn, int batchSize)
    {
        this.input = input;
        this.schema = schema;
        this.scorer = scorer;
        this.outputColumns = outputColumns;
        this.featureColumn = featureColumn;
        this.batchSize = batchSize;
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema => schema;

    public long? GetRowCount() => input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.Select(c => c.Index).ToHashSet();
        int inputCount = input.Schema.Count;
        bool scoring = needed.Any(i => i >= inputCount);
        var inputColumns = input.Schema.Where(c => needed.Contains(c.Index));
        return new Cursor(this, input.GetRowCursor(inputColumns), scoring ? input.GetRowCursor([input.Schema[featureColumn]]) : null);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly ScoredDataView _view;
        private readonly DataViewRowCursor _main;
        private readonly DataViewRowCursor? _lead;
        private readonly ValueGetter<VBuffer<float>>? _leadFeatures;
        private readonly float[] _features;
        private readonly float[] _outputs;
        private readonly int _featureCount, _outputSize;
        private readonly FeatureRowWriter _rows;
        private int _batchRows, _batchIndex = -1;
        private VBuffer<float> _row;

        public Cursor(ScoredDataView view, DataViewRowCursor main, DataViewRowCursor? lead)
        {
            _view = view;
            _main = main;
            _lead = lead;
            _featureCount = view.scorer.RowWidth;
            _rows = view.scorer.CreateRowWriter();
            _outputSize = view.scorer.OutputSize;
            _features = lead is null ? [] : new float[view.batchSize * _featureCount];
            _outputs = lead is null ? [] : new float[view.batchSize * _outputSize];
            if (lead is not null)
                _leadFeatures = lead.GetGetter<VBuffer<float>>(lead.Schema[view.featureColumn]);
        }

        public override DataViewSchema Schema => _view.schema;
        public override long Position => _main.Position;
        public override long Batch => _main.Batch;
        public override ValueGetter<DataViewRowId> GetIdGetter() => _main.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) =>
            column.Index < _main.Schema.Count ? _main.IsColumnActive(_main.Schema[column.Index]) : _lead is not null;

        public override bool MoveNext()
        {
            if (!_main.MoveNext()) return false;
            if (_lead is not null && ++_batchIndex >= _batchRows)
                ReadNextBatch();
            return true;
        }

        private void ReadNextBatch()
        {
            _batchRows = 0;
            _batchIndex = 0;
            while (_batchRows < _view.batchSize && _lead!.MoveNext())
            {
                _leadFeatures!(ref _row);
                _rows.Write(_row, _features.AsSpan(_batchRows * _featureCount, _featureCount), _view.featureColumn, () => $"row {_lead.Position}");
                _batchRows++;
            }
            if (_batchRows == 0)
                throw new InvalidOperationException("The scoring cursors went out of step: the input data view gave different rows to two cursors.");
            _view.scorer.Predict(_features, _batchRows, _outputs);
        }

        private ReadOnlySpan<float> CurrentOutputs => _outputs.AsSpan(_batchIndex * _outputSize, _outputSize);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            int inputCount = _main.Schema.Count;
            if (column.Index < inputCount)
                return _main.GetGetter<TValue>(_main.Schema[column.Index]);
            if (_lead is null)
                throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was created.");
            return _view.outputColumns.Getter<TValue>(column.Index - inputCount, () => CurrentOutputs);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _main.Dispose();
                _lead?.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
