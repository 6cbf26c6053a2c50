using AutoLoss.ML.Catalog;
using AutoLoss.ML.Data;
using AutoLoss.ML.NearestNeighbor;
using AutoLoss.ML.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss;

/// <summary>
/// Few-shot recognition: <see cref="Fit"/> keeps the reference rows it is given (each with an embedding and a key label,
/// e.g. five examples of each class, embedded by an <see cref="AdaptiveLossEmbeddingTransformer"/>), and the fitted
/// <see cref="EmbeddingNearestNeighborTransformer"/> labels any row by its nearest references (cosine similarity; a vote of
/// the k nearest). Classes
/// need not have been seen when the embedding was trained. Create it with
/// <c>mlContext.MetricLearning().NearestNeighbor(...)</c>.
/// </summary>
public sealed class EmbeddingNearestNeighborEstimator : IEstimator<EmbeddingNearestNeighborTransformer>
{
    internal EmbeddingNearestNeighborEstimator(string labelColumnName, string embeddingColumnName, int numberOfNeighbors)
    {
        if (numberOfNeighbors < 1) throw new ArgumentOutOfRangeException(nameof(numberOfNeighbors), $"numberOfNeighbors is {numberOfNeighbors}; at least 1 reference must vote (e.g. 1, or 3 with more references per class).");
        NumberOfNeighbors = numberOfNeighbors;
        if (string.IsNullOrWhiteSpace(labelColumnName)) throw new ArgumentException("labelColumnName must name the reference label column (e.g. \"Label\").", nameof(labelColumnName));
        if (string.IsNullOrWhiteSpace(embeddingColumnName)) throw new ArgumentException("embeddingColumnName must name the embedding column (e.g. \"Embedding\").", nameof(embeddingColumnName));
        LabelColumnName = labelColumnName;
        EmbeddingColumnName = embeddingColumnName;
    }

    /// <summary>The key column naming each reference's class.</summary>
    public string LabelColumnName { get; }

    /// <summary>k, the nearest references that vote on a row's label (at most the number of references).</summary>
    public int NumberOfNeighbors { get; }

    /// <summary>The embedding column of the references and of the rows to classify.</summary>
    public string EmbeddingColumnName { get; }

    /// <summary>Reads the reference rows of <paramref name="input"/> (rows with a missing label are skipped).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or of the wrong type.</exception>
    /// <exception cref="ArgumentException">No reference row has a label, or an embedding is not finite or is all zeros.</exception>
    public EmbeddingNearestNeighborTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int classes = NearestNeighborColumns.CheckLabel(input.Schema, LabelColumnName);
        int dimensions = NearestNeighborColumns.CheckEmbedding(input.Schema, EmbeddingColumnName, "reference data");
        var embeddings = new List<float>();
        var labels = new List<int>();
        var labelColumn = input.Schema[LabelColumnName];
        var embeddingColumn = input.Schema[EmbeddingColumnName];
        using (var cursor = input.GetRowCursor([labelColumn, embeddingColumn]))
        {
            var label = LabeledRowCursor.KeyAsUInt32(cursor, labelColumn);
            var embedding = cursor.GetGetter<VBuffer<float>>(embeddingColumn);
            uint key = 0;
            var buffer = default(VBuffer<float>);
            var dense = new float[dimensions];
            while (cursor.MoveNext())
            {
                label(ref key);
                if (key == 0) continue;
                embedding(ref buffer);
                buffer.CopyTo(dense);
                if (dense.Any(v => !float.IsFinite(v)) || dense.All(v => v == 0))
                    throw new ArgumentException($"Embedding column '{EmbeddingColumnName}' of reference row {cursor.Position} is not finite or is all zeros; every reference needs a usable embedding.", nameof(input));
                if ((labels.Count + 1L) * dimensions > NearestNeighborColumns.MaximumReferenceValues)
                    throw new ArgumentException($"The reference data has more than {NearestNeighborColumns.MaximumReferenceValues / dimensions} rows of {dimensions} values; " +
                                                "nearest-neighbour scoring keeps a few examples per class.", nameof(input));
                embeddings.AddRange(dense);
                labels.Add((int)key - 1);
            }
        }
        if (labels.Count == 0)
            throw new ArgumentException($"The reference data has no rows with a label in column '{LabelColumnName}'; give it a few labelled examples of each class.", nameof(input));
        var scorer = new NearestReferenceScorer([.. embeddings], [.. labels], dimensions, classes, NumberOfNeighbors);
        return new EmbeddingNearestNeighborTransformer(scorer, EmbeddingColumnName, LabelKeyValues.FromLabel(labelColumn));
    }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var embedding = inputSchema.FirstOrDefault(c => c.Name == EmbeddingColumnName);
        if (embedding.Name is null)
            throw new ArgumentOutOfRangeException("embeddingColumnName", $"Embedding column '{EmbeddingColumnName}' is not in the input schema. Apply the fitted embedding model first, or set embeddingColumnName.");
        if (embedding.Kind != SchemaShape.Column.VectorKind.Vector || embedding.ItemType != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException("embeddingColumnName", $"Embedding column '{EmbeddingColumnName}' is {embedding.Kind} of {embedding.ItemType}; it must be a known-size vector of Single.");
        var label = inputSchema.FirstOrDefault(c => c.Name == LabelColumnName);
        if (label.Name is null || !label.IsKey)
            throw new ArgumentOutOfRangeException("labelColumnName", $"Label column '{LabelColumnName}' must be a key column of the reference data; add mlContext.Transforms.Conversion.MapValueToKey(\"{LabelColumnName}\") first.");
        var produced = MlNetInternals.SchemaShapeFrom(MulticlassOutputColumns.PromisedFor(label).Append(new DataViewSchema.Builder().ToSchema()));
        return new SchemaShape(inputSchema.Where(c => !produced.Any(p => p.Name == c.Name)).Concat(produced));
    }
}
