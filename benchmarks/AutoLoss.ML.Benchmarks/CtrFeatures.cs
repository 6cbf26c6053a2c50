using AutoLoss;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Benchmarks;

/// <summary>
/// The generated click data of one <see cref="ClickProcess"/> (train, validation and test rows of separate row seeds),
/// in two forms over the same rows: the raw view (text fields, for ML.NET's own trainers) and a <c>Features</c> vector of
/// one category index per field (1..N in order of first appearance in the training rows, 0 for a value the training rows
/// never had) for the DeepFM student. Held in memory so every method reads the same rows.
/// </summary>
internal sealed class CtrFeatures
{
    private sealed class Row
    {
        public bool Label { get; set; }

        public float[] Features { get; set; } = [];
    }

    public CtrFeatures(MLContext ml, ClickProcess process, int trainRows, int validationRows, int testRows)
    {
        Process = process;
        Fields = process.Fields.Select(f => f.Name).ToArray();
        RawTrain = ml.Data.Cache(ClickData.Generate(ml, process, trainRows, rowSeed: 1));
        RawValidation = ml.Data.Cache(ClickData.Generate(ml, process, validationRows, rowSeed: 2));
        RawTest = ml.Data.Cache(ClickData.Generate(ml, process, testRows, rowSeed: 3));
        var vocabularies = Fields.Select(_ => new Dictionary<string, int>(StringComparer.Ordinal)).ToArray();
        Train = Indexed(ml, RawTrain, vocabularies, grow: true);
        Cardinalities = vocabularies.Select(v => Math.Max(1, v.Count)).ToArray();
        Validation = Indexed(ml, RawValidation, vocabularies, grow: false);
        Test = Indexed(ml, RawTest, vocabularies, grow: false);
        BayesProbabilities = ClickData.ClickProbabilities(process, testRows, rowSeed: 3);
    }

    public ClickProcess Process { get; }

    /// <summary>The field (text) columns, in feature order.</summary>
    public string[] Fields { get; }

    /// <summary>Categories of each field in the training rows, in feature order.</summary>
    public int[] Cardinalities { get; }

    public IDataView RawTrain { get; }

    public IDataView RawValidation { get; }

    public IDataView RawTest { get; }

    public IDataView Train { get; }

    public IDataView Validation { get; }

    public IDataView Test { get; }

    /// <summary>The true click probability of every test row (the ceiling of any model).</summary>
    public double[] BayesProbabilities { get; }

    /// <summary>The DeepFM student for these fields.</summary>
    public DeepFmSpec Student() => new() { FieldCardinalities = Cardinalities, EmbeddingSize = 8, DeepHiddenSizes = [200, 200] };

    private IDataView Indexed(MLContext ml, IDataView raw, Dictionary<string, int>[] vocabularies, bool grow)
    {
        var labels = raw.GetColumn<bool>("Label").ToArray();
        var rows = labels.Select(l => new Row { Label = l, Features = new float[Fields.Length] }).ToArray();
        for (int f = 0; f < Fields.Length; f++)
        {
            int i = 0;
            foreach (var value in raw.GetColumn<ReadOnlyMemory<char>>(Fields[f]))
            {
                string text = value.ToString();
                if (!vocabularies[f].TryGetValue(text, out int index) && grow) vocabularies[f][text] = index = vocabularies[f].Count + 1;
                rows[i++].Features[f] = index;
            }
        }
        var schema = SchemaDefinition.Create(typeof(Row));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Fields.Length);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }
}
