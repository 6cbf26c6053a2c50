using AutoLoss.ML.Datasets;
using Microsoft.ML;

namespace AutoLoss;

/// <summary>
/// Generated click logs for binary click prediction, standing in for Criteo/Avazu-like data: rows of a
/// <see cref="ClickProcess"/> (its remarks describe the model) as an ML.NET view with the columns <c>Label</c> (bool,
/// clicked), one text column per field of the process holding values such as <c>u123</c>, and <c>Hard</c> (bool, the
/// row's click depends on the third-order term).
/// </summary>
/// <remarks>
/// The field values are text rather than key columns so that <c>OneHotHashEncoding</c> and <c>OneHotEncoding</c> apply
/// directly, as they would to real click logs, and so that two processes with other cardinalities share no key type.
/// Row <c>i</c> is a function of (process, row seed, i) alone, computed with SplitMix64: the same arguments give the same
/// rows on every machine, another row seed gives other rows of the same process (train, validation and test data), and
/// the view is lazy, so a million rows cost no more memory than a thousand.
/// </remarks>
public static class ClickData
{
    /// <summary>Name of the bool column holding the observed (possibly noisy) click.</summary>
    public const string LabelColumn = "Label";

    /// <summary>Name of the bool column telling whether the row is hard (its logit is the third-order term).</summary>
    public const string HardColumn = "Hard";

    /// <summary>
    /// <paramref name="rows"/> rows of <paramref name="process"/> drawn with <paramref name="rowSeed"/>, as a lazy view
    /// whose cursors draw each row when they reach it.
    /// </summary>
    /// <param name="ml">The ML.NET context; its seed plays no part.</param>
    /// <param name="process">The generating process (its seed fixes the hidden parameters).</param>
    /// <param name="rows">Number of rows, >= 0.</param>
    /// <param name="rowSeed">Seed of the rows; use different row seeds for training, validation and test rows.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> is negative or a setting of the process is
    /// out of range (the exception names the setting).</exception>
    public static IDataView Generate(MLContext ml, ClickProcess process, long rows, int rowSeed)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(process);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        return new ClickDataView(new ClickGenerator(process), rows, rowSeed);
    }

    /// <summary>
    /// The Bayes-optimal click probability of each row of <see cref="Generate"/> with the same process, row count and row
    /// seed: <c>P(Label = true | fields) = NoiseRate + (1 - 2 NoiseRate) sigmoid(logit)</c>. No model can beat it, so
    /// its AUC or log-loss on the generated labels is the ceiling a benchmark can report.
    /// </summary>
    /// <param name="process">The generating process.</param>
    /// <param name="rows">Number of rows, >= 0.</param>
    /// <param name="rowSeed">Seed of the rows.</param>
    /// <param name="noiseless">True for the probability of the clean click before label noise, <c>sigmoid(logit)</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> is negative or a setting of the process is
    /// out of range.</exception>
    public static double[] ClickProbabilities(ClickProcess process, int rows, int rowSeed, bool noiseless = false)
    {
        ArgumentNullException.ThrowIfNull(process);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        var generator = new ClickGenerator(process);
        var values = new int[generator.FieldCount];
        var probabilities = new double[rows];
        for (int row = 0; row < rows; row++)
        {
            generator.Draw(rowSeed, row, values, out _, out double clean, out _);
            probabilities[row] = noiseless ? clean : generator.ObservedProbability(clean);
        }
        return probabilities;
    }
}
