using AutoLoss.ML.Data;
using AutoLoss.ML.Scoring;

namespace AutoLoss.ML.NearestNeighbor;

/// <summary>
/// Scores a row's embedding against a few reference embeddings per class: the score of class c is the highest cosine
/// similarity between the row and a reference of class c (classes without references score -2, below any similarity);
/// the predicted class is the majority among the k nearest references, a tie going to the class whose reference is
/// nearest (with k = 1, the arg-max of the scores). A row's outputs are the C scores, then the predicted class index.
/// Managed code: the references are few.
/// </summary>
internal sealed class NearestReferenceScorer : IBatchScorer
{
    private static readonly Comparer<float> Descending = Comparer<float>.Create((a, b) => b.CompareTo(a));

    /// <summary>The score of a class without references.</summary>
    public const float NoReference = -2f;

    private readonly float[] _references;   // [R, D], unit rows

    /// <param name="references">Reference embeddings [R x D], row-major, finite and non-zero (normalised here).</param>
    /// <param name="labels">Each reference's class, 0-based, below <paramref name="classes"/>.</param>
    /// <param name="dimensions">D, the embedding's length.</param>
    /// <param name="classes">The number of classes (the length of a row's scores).</param>
    /// <param name="neighbors">k, the references that vote (at least 1).</param>
    public NearestReferenceScorer(float[] references, int[] labels, int dimensions, int classes, int neighbors = 1)
    {
        Neighbors = Math.Min(neighbors, labels.Length);
        Dimensions = dimensions;
        NumberOfClasses = classes;
        Labels = labels;
        RawReferences = (float[])references.Clone();
        _references = (float[])references.Clone();
        for (int r = 0; r < labels.Length; r++) Normalize(_references.AsSpan(r * dimensions, dimensions));
    }

    public int Dimensions { get; }

    public int NumberOfClasses { get; }

    /// <summary>k (at most the number of references).</summary>
    public int Neighbors { get; }

    /// <summary>The references' classes (0-based).</summary>
    public int[] Labels { get; }

    /// <summary>The reference embeddings as given [R x D] (what a saved model stores, so a loaded one scores bit for bit the same).</summary>
    public float[] RawReferences { get; }

    public int RowWidth => Dimensions;

    public int OutputSize => NumberOfClasses + 1;

    public FeatureRowWriter CreateRowWriter() => new(Dimensions, 0);

    public void Predict(float[] features, int rows, Span<float> outputs)
    {
        var query = new float[Dimensions];
        var similarities = new float[Labels.Length];
        var order = new int[Labels.Length];
        var votes = new int[NumberOfClasses];
        for (int i = 0; i < rows; i++)
        {
            features.AsSpan(i * Dimensions, Dimensions).CopyTo(query);
            Normalize(query);
            var row = outputs.Slice(i * OutputSize, OutputSize);
            var scores = row[..NumberOfClasses];
            scores.Fill(NoReference);
            for (int r = 0; r < Labels.Length; r++)
            {
                var reference = _references.AsSpan(r * Dimensions, Dimensions);
                float similarity = 0;
                for (int d = 0; d < Dimensions; d++) similarity += query[d] * reference[d];
                similarities[r] = similarity;
                order[r] = r;
                ref float best = ref scores[Labels[r]];
                if (similarity > best) best = similarity;
            }
            row[NumberOfClasses] = Vote(similarities, order, votes, scores);
        }
    }

    /// <summary>The majority class among the k most similar references; a tie goes to the class with the higher score
    /// (its nearest reference is nearer).</summary>
    private int Vote(float[] similarities, int[] order, int[] votes, ReadOnlySpan<float> scores)
    {
        Array.Sort(similarities, order, Descending);   // the row's similarities are not read again
        Array.Clear(votes);
        for (int n = 0; n < Neighbors; n++) votes[Labels[order[n]]]++;
        int winner = Labels[order[0]];
        for (int c = 0; c < NumberOfClasses; c++)
            if (votes[c] > votes[winner] || (votes[c] == votes[winner] && scores[c] > scores[winner])) winner = c;
        return winner;
    }

    public void AddHolder() { }

    public bool Release() => false;   // managed memory only

    private static void Normalize(Span<float> v)
    {
        double norm = 0;
        foreach (float x in v) norm += x * x;
        if (norm == 0) return;   // a zero row scores 0 against everything
        float scale = (float)(1 / Math.Sqrt(norm));
        for (int d = 0; d < v.Length; d++) v[d] *= scale;
    }
}
