namespace AutoLoss.ML.Datasets;

/// <summary>
/// The hidden parameters of a <see cref="ClickProcess"/> and the drawing of its rows (see the process's remarks for the
/// model). Read-only once built, so cursors on several threads can share one generator.
/// </summary>
internal sealed class ClickGenerator
{
    // SplitMix64 streams: the hidden parameters and the bias sample come from the process seed, rows from the row seed.
    private const ulong WeightStream = 0xC11C_01;
    private const ulong LatentStream = 0xC11C_02;
    private const ulong HardStream = 0xC11C_03;
    private const ulong CalibrationStream = 0xC11C_04;
    private const ulong RowKeyStream = 0xC11C_05;
    private const ulong RowStream = 0xC11C_06;
    private const ulong Golden = 0x9E3779B97F4A7C15UL;
    private const int CalibrationRows = 20_000;

    private readonly ClickProcess _process;
    private readonly ClickField[] _fields;
    private readonly (int First, int Second)[] _pairs;
    private readonly int[] _hardFields;
    private readonly int _dimension;
    private readonly double[][] _cumulative;   // per field: cumulative Zipf probabilities, the last exactly 1
    private readonly double[][] _weights;      // per field and value: first-order weight
    private readonly float[][] _latent;        // per field: value-major latent vectors
    private readonly string?[][] _texts;       // per field: value texts, made on first use
    private readonly double _pairScale, _hardScale, _bias;
    private readonly ulong _rowKey;

    public ClickGenerator(ClickProcess process)
    {
        ArgumentNullException.ThrowIfNull(process);
        (_pairs, _hardFields) = process.Validate();
        _process = process;
        _fields = [.. process.Fields];
        _dimension = process.LatentDimension;
        _pairScale = _pairs.Length == 0 ? 0 : process.InteractionScale / Math.Sqrt(_pairs.Length * (double)_dimension);
        _hardScale = process.HardScale / Math.Sqrt(_dimension);
        _cumulative = new double[_fields.Length][];
        _weights = new double[_fields.Length][];
        _latent = new float[_fields.Length][];
        _texts = new string?[_fields.Length][];
        double weightScale = process.FirstOrderScale / Math.Sqrt(_fields.Length);
        for (int f = 0; f < _fields.Length; f++)
        {
            int n = _fields[f].Cardinality;
            _cumulative[f] = ZipfCumulative(n, process.ZipfExponent);
            _weights[f] = new double[n];
            var rng = SplitMix64.For(process.Seed, WeightStream, (ulong)f);
            for (int v = 0; v < n; v++) _weights[f][v] = weightScale * rng.NextNormalPair().Item1;
            _latent[f] = new float[n * _dimension];
            rng = SplitMix64.For(process.Seed, LatentStream, (ulong)f);
            for (int j = 0; j < _latent[f].Length; j++) _latent[f][j] = (float)rng.NextNormalPair().Item1;
            _texts[f] = new string?[n];
        }
        _rowKey = SplitMix64.For(process.Seed, RowKeyStream, 0).NextUInt64();
        _bias = CalibrateBias();
    }

    public int FieldCount => _fields.Length;

    public ClickField Field(int f) => _fields[f];

    /// <summary>The text of value <paramref name="value"/> of field <paramref name="f"/>, cached (a race only makes the
    /// same string twice).</summary>
    public string Text(int f, int value) => _texts[f][value] ??= _fields[f].ValueText(value);

    /// <summary>Draws row <paramref name="row"/> of row seed <paramref name="rowSeed"/>: its field values, whether it is
    /// hard, the probability of a clean click and the observed (possibly flipped) label.</summary>
    public void Draw(int rowSeed, long row, Span<int> values, out bool hard, out double cleanProbability, out bool label)
    {
        // The process key shifts the row index, so two processes with the same row seed draw unrelated rows.
        var rng = SplitMix64.For(rowSeed, RowStream, unchecked((ulong)row + _rowKey));
        DrawValues(ref rng, values);
        cleanProbability = Sigmoid(_bias + Logit(values, out hard));
        // Both uniforms are always drawn, so a process differing only in NoiseRate gives the same rows and clean clicks.
        bool click = rng.NextDouble() < cleanProbability;
        bool flip = rng.NextDouble() < _process.NoiseRate;
        label = click ^ flip;
    }

    /// <summary>Bayes-optimal probability of an observed click given the row's fields.</summary>
    public double ObservedProbability(double cleanProbability) => _process.NoiseRate + (1 - 2 * _process.NoiseRate) * cleanProbability;

    private void DrawValues(ref SplitMix64 rng, Span<int> values)
    {
        for (int f = 0; f < _fields.Length; f++)
        {
            double u = rng.NextDouble();
            var cumulative = _cumulative[f];
            int lo = 0, hi = cumulative.Length - 1;   // smallest k with u < cumulative[k]; cumulative[^1] = 1 > u
            while (lo < hi)
            {
                int mid = (lo + hi) >>> 1;
                if (u < cumulative[mid]) hi = mid;
                else lo = mid + 1;
            }
            values[f] = lo;
        }
    }

    /// <summary>The logit without the bias: first-order weights and pairwise factors for an easy row, the third-order
    /// term of the hard fields for a hard row.</summary>
    private double Logit(ReadOnlySpan<int> values, out bool hard)
    {
        int a = _hardFields[0], b = _hardFields[1], c = _hardFields[2];
        hard = IsHard(values[a], values[b], values[c]);
        double z = 0;
        if (hard)
        {
            var ea = Latent(a, values[a]);
            var eb = Latent(b, values[b]);
            var ec = Latent(c, values[c]);
            for (int d = 0; d < _dimension; d++) z += (double)ea[d] * eb[d] * ec[d];
            return _hardScale * z;
        }
        for (int f = 0; f < _fields.Length; f++) z += _weights[f][values[f]];
        double interactions = 0;
        foreach (var (i, j) in _pairs)
        {
            var ei = Latent(i, values[i]);
            var ej = Latent(j, values[j]);
            for (int d = 0; d < _dimension; d++) interactions += (double)ei[d] * ej[d];
        }
        return z + _pairScale * interactions;
    }

    private ReadOnlySpan<float> Latent(int f, int value) => _latent[f].AsSpan(value * _dimension, _dimension);

    /// <summary>Whether a combination of hard-field values is hard: a uniform hash of (seed, a, b, c) below HardFraction,
    /// so hardness is a fixed function of the row, never a coin of its own.</summary>
    private bool IsHard(int a, int b, int c)
    {
        ulong key = SplitMix64.For(_process.Seed, HardStream, (ulong)a).NextUInt64();
        key = new SplitMix64(key ^ ((ulong)b * Golden)).NextUInt64();
        return new SplitMix64(key ^ ((ulong)c * Golden)).NextDouble() < _process.HardFraction;
    }

    /// <summary>The bias that makes the mean clean click probability BaseRate over a fixed sample of the process's own
    /// rows (so it does not depend on the row seed or count), found by bisection: the mean is increasing in the bias.</summary>
    private double CalibrateBias()
    {
        var logits = new double[CalibrationRows];
        Span<int> values = _fields.Length <= 256 ? stackalloc int[_fields.Length] : new int[_fields.Length];
        for (int i = 0; i < logits.Length; i++)
        {
            var rng = SplitMix64.For(_process.Seed, CalibrationStream, (ulong)i);
            DrawValues(ref rng, values);
            logits[i] = Logit(values, out _);
        }
        double lo = -50, hi = 50;
        for (int iteration = 0; iteration < 60; iteration++)
        {
            double mid = 0.5 * (lo + hi), mean = 0;
            foreach (double z in logits) mean += Sigmoid(mid + z);
            if (mean / logits.Length < _process.BaseRate) lo = mid;
            else hi = mid;
        }
        return 0.5 * (lo + hi);
    }

    private static double[] ZipfCumulative(int n, double exponent)
    {
        var cumulative = new double[n];
        double total = 0;
        for (int k = 0; k < n; k++) cumulative[k] = total += Math.Pow(k + 1, -exponent);
        for (int k = 0; k < n; k++) cumulative[k] /= total;
        cumulative[n - 1] = 1.0;
        return cumulative;
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
}
