using AutoLoss.ML.Datasets;
using Microsoft.ML;

namespace AutoLoss;

/// <summary>
/// The generated tasks of AutoLoss's L1 experiments, where only a few features matter so that an L1 penalty on
/// the weights helps: sparse linear regression and classification with informative and noise features. A
/// <see cref="Process"/> fixes everything about the generating process (its seed fixes the true weights or class
/// means); each call draws rows from it with its own row seed, so train, validation and test rows come from one process.
/// </summary>
public static class SparseTasks
{
    /// <summary>A generating process: dimension, informative features, noise and the seed of its hidden parameters.</summary>
    /// <param name="Features">Length of <c>Features</c>.</param>
    /// <param name="Informative">Features that carry signal (the rest are pure noise), 1..Features.</param>
    /// <param name="Noise">Regression: standard deviation of the label noise; classification: spread of the points around their class mean.</param>
    /// <param name="Seed">Seed of the hidden parameters (true weights, class means, which features are informative).</param>
    /// <param name="Classes">Classification only: number of classes (>= 2).</param>
    public sealed record Process(int Features, int Informative, double Noise, int Seed, int Classes = 2)
    {
        /// <summary>Checks the settings.</summary>
        internal void Validate()
        {
            if (Features < 1) throw new ArgumentOutOfRangeException(nameof(Features), $"Features is {Features}; it must be >= 1.");
            if (Informative < 1 || Informative > Features) throw new ArgumentOutOfRangeException(nameof(Informative), $"Informative is {Informative}; it must be in 1..{Features}.");
            if (!(Noise >= 0) || !double.IsFinite(Noise)) throw new ArgumentOutOfRangeException(nameof(Noise), $"Noise is {Noise}; it must be finite and >= 0.");
            if (Classes < 2) throw new ArgumentOutOfRangeException(nameof(Classes), $"Classes is {Classes}; it must be >= 2.");
        }

        /// <summary>The informative feature indices and, per informative feature, the true weight (regression) or, per
        /// class and informative feature, the class mean (classification).</summary>
        internal (int[] Informative, double[] Parameters) Hidden(int perFeature)
        {
            var random = new Random(Seed);
            var informative = Enumerable.Range(0, Features).OrderBy(_ => random.Next()).Take(Informative).OrderBy(i => i).ToArray();
            var parameters = Enumerable.Range(0, Informative * perFeature).Select(_ => Normal(random)).ToArray();
            return (informative, parameters);
        }
    }

    /// <summary>d-ary linear regression y = w . x + noise x e with x ~ N(0, I) and w sparse (N(0, 1) on the
    /// informative features, 0 elsewhere); <c>Label</c> is a float. The best possible MSE is noise^2.</summary>
    public static IDataView LinearRegression(MLContext mlContext, Process process, int rows, int rowSeed)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(process);
        process.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        var (informative, weights) = process.Hidden(1);
        var random = new Random(RowSeed(process, rowSeed, 1));
        var data = new List<(float[], float)>(rows);
        for (int r = 0; r < rows; r++)
        {
            var x = new float[process.Features];
            for (int f = 0; f < x.Length; f++) x[f] = (float)Normal(random);
            double y = process.Noise * Normal(random);
            for (int k = 0; k < informative.Length; k++) y += weights[k] * x[informative[k]];
            data.Add((x, (float)y));
        }
        return View(mlContext, process.Features, data);
    }

    /// <summary>Classification: each row picks a class c uniformly; its informative features are the class mean
    /// (N(0, 1) per class and feature, scaled by 1.5) plus noise x N(0, 1), its other features pure N(0, 1) noise.
    /// <c>Label</c> is the class as a float (apply MapValueToKey).</summary>
    public static IDataView Classification(MLContext mlContext, Process process, int rows, int rowSeed)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(process);
        process.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        var (informative, means) = process.Hidden(process.Classes);
        var random = new Random(RowSeed(process, rowSeed, 2));
        var data = new List<(float[], float)>(rows);
        for (int r = 0; r < rows; r++)
        {
            int c = random.Next(process.Classes);
            var x = new float[process.Features];
            for (int f = 0; f < x.Length; f++) x[f] = (float)Normal(random);
            for (int k = 0; k < informative.Length; k++)
                x[informative[k]] = (float)(1.5 * means[k * process.Classes + c] + process.Noise * Normal(random));
            data.Add((x, c));
        }
        return View(mlContext, process.Features, data);
    }

    // A fixed mix (not HashCode, which is randomised per process) so the rows depend on the seeds alone.
    private static int RowSeed(Process process, int rowSeed, int salt) => unchecked(process.Seed * 1_000_003 + rowSeed * 7_919 + salt * 104_729);

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static IDataView View(MLContext ml, int features, List<(float[] Features, float Label)> rows) =>
        VectorRows.View(ml, features, rows.Select(r => new SparseTaskRow { Features = r.Features, Label = r.Label }));
}

/// <summary>One row of a <see cref="SparseTasks"/> data view.</summary>
public sealed class SparseTaskRow
{
    /// <summary>The target (regression) or the class as a float (classification).</summary>
    public float Label { get; set; }

    /// <summary>The features.</summary>
    public float[] Features { get; set; } = [];
}
