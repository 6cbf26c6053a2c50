using AutoLoss.ML.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Scoring;

/// <summary>Row-at-a-time scoring for <c>CreatePredictionEngine</c>: the output columns of the
/// current input row, computed once per row position and only when asked for.</summary>
internal sealed class ScoringRowMapper(DataViewSchema inputSchema, DataViewSchema outputSchema, IBatchScorer scorer, IOutputColumns outputColumns, string featureColumn) : IRowToRowMapper
{
    public DataViewSchema InputSchema => inputSchema;

    public DataViewSchema OutputSchema => outputSchema;

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        var needed = dependingColumns.Select(c => c.Index).ToHashSet();
        int inputCount = inputSchema.Count;
        var result = inputSchema.Where(c => needed.Contains(c.Index)).ToList();
        if (needed.Any(i => i >= inputCount) && !result.Any(c => c.Name == featureColumn))
            result.Add(inputSchema[featureColumn]);
        return result;
    }

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns) =>
        new ScoredRow(input, outputSchema, scorer, outputColumns, featureColumn, activeColumns.Select(c => c.Index).ToHashSet());

    private sealed class ScoredRow : DataViewRow
    {
        private readonly DataViewRow _input;
        private readonly DataViewSchema _schema;
        private readonly IBatchScorer _scorer;
        private readonly IOutputColumns _outputColumns;
        private readonly HashSet<int> _active;
        private readonly ValueGetter<VBuffer<float>>? _features;
        private readonly float[] _featureValues;
        private readonly float[] _outputs;
        private readonly FeatureRowWriter _rows;
        private readonly string _featureColumn;
        private VBuffer<float> _buffer;
        private long _scoredPosition = -1;

        public ScoredRow(DataViewRow input, DataViewSchema schema, IBatchScorer scorer, IOutputColumns outputColumns, string featureColumn, HashSet<int> active)
        {
            _input = input;
            _schema = schema;
            _scorer = scorer;
            _outputColumns = outputColumns;
            _active = active;
            _featureValues = new float[scorer.RowWidth];
            _rows = scorer.CreateRowWriter();
            _featureColumn = featureColumn;
            _outputs = new float[scorer.OutputSize];
            int inputCount = input.Schema.Count;
            if (active.Any(i => i >= inputCount))
                _features = input.GetGetter<VBuffer<float>>(input.Schema[featureColumn]);
        }

        public override DataViewSchema Schema => _schema;
        public override long Position => _input.Position;
        public override long Batch => _input.Batch;
        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) =>
            column.Index < _input.Schema.Count ? _input.IsColumnActive(_input.Schema[column.Index]) : _active.Contains(column.Index);

        private ReadOnlySpan<float> Outputs()
        {
            if (_scoredPosition != _input.Position || _scoredPosition < 0)
            {
                _features!(ref _buffer);
                _rows.Write(_buffer, _featureValues, _featureColumn, () => $"row {_input.Position}");
                _scorer.Predict(_featureValues, 1, _outputs);
                _scoredPosition = _input.Position;
            }
            return _outputs;
        }

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            int inputCount = _input.Schema.Count;
            if (column.Index < inputCount)
                return _input.GetGetter<TValue>(_input.Schema[column.Index]);
            if (_features is null)
                throw new InvalidOperationException($"Column '{column.Name}' was not requested as active.");
            return _outputColumns.Getter<TValue>(column.Index - inputCount, Outputs);
        }
    }
}
