using AutoLoss.ML.Datasets;
using Microsoft.ML;

namespace AutoLoss;

public static partial class SyntheticData
{
    // SplitMix64 streams of the teacher-network generator (clusters use 1 and 2, regression 3 and 4).
    private const ulong TeacherWeightStream = 5;
    private const ulong TeacherRowStream = 6;
    private const ulong TeacherThresholdStream = 7;
    private const int ThresholdSampleRows = 20_000;

    /// <summary>
    /// Classification by a random teacher network, held in memory: features <c>x ~ N(0, I)</c>, a score
    /// <c>f(x) = v . tanh(W2 tanh(W1 x))</c> with two hidden layers of <paramref name="hiddenUnits"/> tanh units, and the
    /// label the band of <c>f(x)</c> between fixed quantiles, so the classes are about equally frequent. The weights are
    /// <c>W1 ~ N(0, gain^2 / features)</c>, <c>W2 ~ N(0, gain^2 / hiddenUnits)</c>, <c>v ~ N(0, 1 / hiddenUnits)</c>, drawn
    /// from the seed; <paramref name="gain"/> sets how nonlinear the boundaries are (1 is nearly linear, 3 folds them).
    /// No linear model separates the bands; a student needs depth and a smooth activation to match the teacher, unlike the
    /// digits. The seed fixes the function as well as the rows, so draw training and test data of one function by
    /// splitting one generated set.
    /// </summary>
    /// <param name="ml">The ML.NET context; its seed plays no part, only <paramref name="seed"/> does.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="features">Length of the <c>Features</c> vector, at least 1.</param>
    /// <param name="classes">Number of bands (classes), at least 2.</param>
    /// <param name="seed">Seed fixing the teacher's weights, the band edges and every row.</param>
    /// <param name="hiddenUnits">Width of each of the teacher's two hidden layers, at least 1.</param>
    /// <param name="gain">Scale of the teacher's hidden weights, finite and positive.</param>
    public static IDataView TeacherNetwork(MLContext ml, int rows, int features, int classes, int seed, int hiddenUnits = 32, float gain = 2f)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        var teacher = new TeacherNetworkGenerator(features, classes, hiddenUnits, gain, seed);
        return Materialize(rows, features, teacher.Fill);
    }

    private sealed class TeacherNetworkGenerator
    {
        private readonly int _features, _hidden, _seed;
        private readonly double[] _w1, _w2, _v;
        private readonly double[] _edges;

        public TeacherNetworkGenerator(int features, int classes, int hidden, float gain, int seed)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
            ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
            ArgumentOutOfRangeException.ThrowIfLessThan(hidden, 1, "hiddenUnits");
            if (!float.IsFinite(gain) || gain <= 0)
                throw new ArgumentOutOfRangeException(nameof(gain), gain, "gain must be finite and positive.");
            (_features, _hidden, _seed) = (features, hidden, seed);
            _w1 = Normal(hidden * features, 0, gain / Math.Sqrt(features));
            _w2 = Normal(hidden * hidden, 1, gain / Math.Sqrt(hidden));
            _v = Normal(hidden, 2, 1 / Math.Sqrt(hidden));

            // Band edges: quantiles of f over a fixed sample of its own stream, so they do not depend on how many rows
            // are drawn.
            var scores = new double[ThresholdSampleRows];
            var x = new float[features];
            for (int i = 0; i < scores.Length; i++)
            {
                var rng = SplitMix64.For(seed, TeacherThresholdStream, (ulong)i);
                FillNormal(ref rng, x);
                scores[i] = Score(x);
            }
            Array.Sort(scores);
            _edges = Enumerable.Range(1, classes - 1).Select(c => scores[c * scores.Length / classes]).ToArray();
        }

        public float Fill(long row, Span<float> destination)
        {
            var x = destination.IsEmpty ? new float[_features] : destination;
            var rng = SplitMix64.For(_seed, TeacherRowStream, (ulong)row);
            FillNormal(ref rng, x);
            double f = Score(x);
            int label = 0;
            while (label < _edges.Length && f > _edges[label]) label++;
            return label;
        }

        private double[] Normal(int count, ulong index, double scale)
        {
            var values = new double[count];
            var rng = SplitMix64.For(_seed, TeacherWeightStream, index);
            FillNormal(ref rng, values);
            for (int i = 0; i < count; i++) values[i] *= scale;
            return values;
        }

        /// <summary>f(x) = v . tanh(W2 tanh(W1 x)).</summary>
        private double Score(ReadOnlySpan<float> x)
        {
            Span<double> h1 = _hidden <= 256 ? stackalloc double[_hidden] : new double[_hidden];
            for (int i = 0; i < _hidden; i++)
            {
                double s = 0;
                for (int j = 0; j < _features; j++) s += _w1[i * _features + j] * x[j];
                h1[i] = Math.Tanh(s);
            }
            double f = 0;
            for (int i = 0; i < _hidden; i++)
            {
                double s = 0;
                for (int j = 0; j < _hidden; j++) s += _w2[i * _hidden + j] * h1[j];
                f += _v[i] * Math.Tanh(s);
            }
            return f;
        }
    }
}
