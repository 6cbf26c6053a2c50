using AutoLoss.ML.Datasets;
using Microsoft.ML;

namespace AutoLoss;

/// <summary>
/// Seeded synthetic classification and regression data generated in code (no external data, no
/// licence terms). Every view has the columns <c>Label</c> (float: a class index 0..classes-1, or a
/// regression target) and <c>Features</c> (float vector of known size).
/// </summary>
/// <remarks>
/// Classification (<see cref="GaussianClusters"/>, <see cref="Streaming"/>): each class <c>c</c> has a mean vector <c>mu_c</c> of Euclidean length
/// <c>separation</c> in a random direction (drawn from the seed); a row picks its class uniformly at
/// random and adds standard normal noise to each coordinate, <c>x = mu_c + N(0, I)</c>. Two random
/// means are thus about <c>separation * sqrt(2)</c> apart in units of the noise standard deviation.
/// Row <c>i</c> is computed from (seed, i) alone with SplitMix64, so
/// <see cref="GaussianClusters"/> returns exactly the first rows of <see cref="Streaming"/> for the
/// same arguments, and the data is the same for a given seed in every run. Regression
/// (<see cref="LinearRegression"/>, <see cref="Friedman"/>) rows are likewise computed from (seed, i).
/// </remarks>
public static partial class SyntheticData
{
    /// <summary>
    /// Gaussian-cluster classification data held in memory (<c>rows * features</c> floats).
    /// </summary>
    /// <param name="ml">The ML.NET context; its seed plays no part, only <paramref name="seed"/> does.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="features">Length of the <c>Features</c> vector.</param>
    /// <param name="classes">Number of classes, at least 2.</param>
    /// <param name="seed">Seed fixing the class means and every row.</param>
    /// <param name="separation">Length of each class mean vector, in noise standard deviations.</param>
    public static IDataView GaussianClusters(MLContext ml, int rows, int features, int classes, int seed, float separation = 3f)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        var generator = new ClusterGenerator(features, classes, seed, separation);
        if ((long)rows * features > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(rows), "rows * features is too large for one array; use Streaming instead.");

        return Materialize(rows, features, generator.Fill);
    }

    /// <summary>
    /// Linear regression data held in memory: <c>y = w . x + b + noise * e</c> with features
    /// <c>x ~ N(0, I)</c>, weights <c>w ~ N(0, I / features)</c> and bias <c>b ~ N(0, 1)</c> fixed by the
    /// seed (so <c>w . x</c> has about unit variance), and <c>e ~ N(0, 1)</c> per row. The best
    /// possible mean squared error is <c>noise^2</c>. The seed fixes the function as well as the rows,
    /// so draw training and test data of one function by splitting one generated set.
    /// </summary>
    /// <param name="ml">The ML.NET context; its seed plays no part, only <paramref name="seed"/> does.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="features">Length of the <c>Features</c> vector, at least 1.</param>
    /// <param name="seed">Seed fixing the weights, the bias and every row.</param>
    /// <param name="noise">Standard deviation of the label noise, >= 0.</param>
    public static IDataView LinearRegression(MLContext ml, int rows, int features, int seed, float noise = 0.1f)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        RequireNoise(noise);
        var weights = new double[features + 1];
        var rng = SplitMix64.For(seed, RegressionWeightStream, 0);
        FillNormal(ref rng, weights);
        for (int j = 0; j < features; j++) weights[j] /= Math.Sqrt(features);
        return Materialize(rows, features, (row, destination) =>
        {
            var r = SplitMix64.For(seed, RegressionRowStream, (ulong)row);
            double y = weights[features];
            FillNormal(ref r, destination);
            for (int j = 0; j < features; j++) y += weights[j] * destination[j];
            return (float)(y + noise * r.NextNormalPair().Item1);
        });
    }

    /// <summary>
    /// Friedman's first regression problem (Friedman, Annals of Statistics 1991), a standard nonlinear
    /// benchmark, held in memory: features <c>x ~ U[0, 1]</c> and
    /// <c>y = 10 sin(pi x0 x1) + 20 (x2 - 0.5)^2 + 10 x3 + 5 x4 + noise * e</c>, <c>e ~ N(0, 1)</c>;
    /// features beyond the fifth are irrelevant. Labels lie around 0..30 (mean about 14.4, variance
    /// about 24 without noise); the best possible mean squared error is <c>noise^2</c>.
    /// </summary>
    /// <param name="ml">The ML.NET context; its seed plays no part, only <paramref name="seed"/> does.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="features">Length of the <c>Features</c> vector, at least 5.</param>
    /// <param name="seed">Seed fixing every row.</param>
    /// <param name="noise">Standard deviation of the label noise, >= 0.</param>
    public static IDataView Friedman(MLContext ml, int rows, int features, int seed, float noise = 1f)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 5);
        RequireNoise(noise);
        return Materialize(rows, features, (row, x) =>
        {
            var r = SplitMix64.For(seed, RegressionRowStream, (ulong)row);
            for (int j = 0; j < features; j++) x[j] = (float)r.NextDouble();
            double y = 10 * Math.Sin(Math.PI * x[0] * x[1]) + 20 * (x[2] - 0.5) * (x[2] - 0.5) + 10 * x[3] + 5 * x[4];
            return (float)(y + noise * r.NextNormalPair().Item1);
        });
    }

    /// <summary>
    /// The same Gaussian-cluster data as <see cref="GaussianClusters"/>, but lazy: each row is computed
    /// from (seed, row index) when a cursor reaches it and is never stored, so memory stays bounded
    /// (one row per cursor plus the class means) however many rows there are.
    /// </summary>
    /// <remarks>
    /// <c>GetRowCount()</c> returns <paramref name="rows"/>. Every cursor, including concurrent ones,
    /// sees identical rows in the same order. Cursors generate only the columns they were asked for,
    /// but a row's features are recomputed on every pass, so multi-pass trainers pay the generation
    /// cost each epoch (append an ML.NET cache checkpoint to trade memory for speed).
    /// </remarks>
    /// <param name="ml">The ML.NET context; its seed plays no part, only <paramref name="seed"/> does.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="features">Length of the <c>Features</c> vector.</param>
    /// <param name="classes">Number of classes, at least 2.</param>
    /// <param name="seed">Seed fixing the class means and every row.</param>
    /// <param name="separation">Length of each class mean vector, in noise standard deviations.</param>
    public static IDataView Streaming(MLContext ml, long rows, int features, int classes, int seed, float separation = 3f)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        var generator = new ClusterGenerator(features, classes, seed, separation);
        return new DenseDataView(rows, features, generator.Fill);
    }

    // SplitMix64 streams of the regression generators (the cluster generator uses 1 and 2).
    private const ulong RegressionWeightStream = 3;
    private const ulong RegressionRowStream = 4;

    /// <summary>Generates every row once into arrays and serves them from memory.</summary>
    private static DenseDataView Materialize(int rows, int features, RowFiller fill)
    {
        if ((long)rows * features > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(rows), "rows * features is too large for one array.");
        var values = new float[rows * features];
        var labels = new float[rows];
        for (int i = 0; i < rows; i++)
            labels[i] = fill(i, values.AsSpan(i * features, features));

        return new DenseDataView(rows, features, (row, destination) =>
        {
            if (!destination.IsEmpty)
                values.AsSpan((int)row * features, features).CopyTo(destination);
            return labels[row];
        });
    }

    private static void RequireNoise(float noise)
    {
        if (!float.IsFinite(noise) || noise < 0)
            throw new ArgumentOutOfRangeException(nameof(noise), noise, "noise must be finite and non-negative.");
    }

    /// <summary>Standard normal values, drawn in Box-Muller pairs, as float.</summary>
    private static void FillNormal(ref SplitMix64 rng, Span<float> values)
    {
        for (int j = 0; j < values.Length; j += 2)
        {
            var (a, b) = rng.NextNormalPair();
            values[j] = (float)a;
            if (j + 1 < values.Length) values[j + 1] = (float)b;
        }
    }

    private static void FillNormal(ref SplitMix64 rng, double[] values)
    {
        for (int j = 0; j < values.Length; j += 2)
        {
            var (a, b) = rng.NextNormalPair();
            values[j] = a;
            if (j + 1 < values.Length) values[j + 1] = b;
        }
    }

    internal sealed class ClusterGenerator
    {
        // Separate SplitMix64 streams so class means and rows never share random numbers.
        private const ulong MeanStream = 1;
        private const ulong RowStream = 2;

        private readonly int _features;
        private readonly int _classes;
        private readonly int _seed;
        private readonly float[] _means;

        public ClusterGenerator(int features, int classes, int seed, float separation)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
            ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
            if (!float.IsFinite(separation) || separation < 0)
                throw new ArgumentOutOfRangeException(nameof(separation), separation, "separation must be finite and non-negative.");
            if ((long)features * classes > Array.MaxLength)
                throw new ArgumentOutOfRangeException(nameof(features), "features * classes is too large.");

            _features = features;
            _classes = classes;
            _seed = seed;
            _means = new float[features * classes];
            var direction = new double[features];
            for (int c = 0; c < classes; c++)
            {
                var rng = SplitMix64.For(seed, MeanStream, (ulong)c);
                FillNormal(ref rng, direction);
                double norm = Math.Sqrt(direction.Sum(v => v * v));
                double scale = norm > 0 ? separation / norm : 0;
                for (int j = 0; j < features; j++)
                    _means[c * features + j] = (float)(direction[j] * scale);
            }
        }

        public float Fill(long row, Span<float> destination)
        {
            var rng = SplitMix64.For(_seed, RowStream, (ulong)row);
            int label = rng.NextInt(_classes);
            if (!destination.IsEmpty)
            {
                var mean = _means.AsSpan(label * _features, _features);
                for (int j = 0; j < _features; j += 2)
                {
                    var (a, b) = rng.NextNormalPair();
                    destination[j] = mean[j] + (float)a;
                    if (j + 1 < _features) destination[j + 1] = mean[j + 1] + (float)b;
                }
            }
            return label;
        }
    }
}
