namespace AutoLoss.ML.Data;

/// <summary>
/// How a regression label is scaled for training: the student learns z = (y - Mean) / Scale, with
/// Mean and Scale the training labels' mean and standard deviation, so that one default learning
/// rate suits labels of any magnitude (house prices as well as values near 1). The model maps its
/// output back, y = Mean + Scale * z, in float arithmetic, identically after save/load.
/// </summary>
internal readonly record struct LabelStandardization(float Mean, float Scale)
{
    /// <summary>No scaling.</summary>
    public static LabelStandardization Identity => new(0f, 1f);

    /// <summary>From the labels' count, mean and sum of squared deviations (Welford). A constant label,
    /// or one whose spread float cannot represent, keeps scale 1.</summary>
    public static LabelStandardization FromMoments(long count, double mean, double sumOfSquaredDeviations)
    {
        if (count == 0) return Identity;
        double std = Math.Sqrt(sumOfSquaredDeviations / count);
        float scale = (float)std;
        return new((float)mean, scale > 0 && float.IsNormal(scale) ? scale : 1f);
    }

    /// <summary>The training target of a label.</summary>
    public float Standardize(double label) => (float)((label - Mean) / Scale);

    /// <summary>The prediction in label units of a student output.</summary>
    public float Restore(float output) => Mean + Scale * output;
}
