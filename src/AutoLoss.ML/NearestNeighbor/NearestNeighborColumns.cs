using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.NearestNeighbor;

/// <summary>Checks of the columns nearest-neighbour scoring reads, each naming the column and the fix.</summary>
internal static class NearestNeighborColumns
{
    /// <summary>The longest embedding a saved nearest-neighbour model holds.</summary>
    public const int MaximumDimensions = 1 << 20;

    /// <summary>The most reference values (references x dimensions) a saved nearest-neighbour model holds.</summary>
    public const long MaximumReferenceValues = 1L << 28;

    /// <summary>Throws unless <paramref name="name"/> is a known-size vector of Single (of <paramref name="size"/> values when given); returns its size.</summary>
    public static int CheckEmbedding(DataViewSchema schema, string name, string dataName, int? size = null)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException("embeddingColumnName must name the embedding column (e.g. \"Embedding\").", "embeddingColumnName");
        var column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException("embeddingColumnName", $"Embedding column '{name}' is not in the {dataName}. Apply the fitted embedding model first (it appends 'Embedding'), or set embeddingColumnName.");
        if (column.Type is not VectorDataViewType { ItemType: var item, IsKnownSize: true } vector || item != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException("embeddingColumnName", $"Embedding column '{name}' in the {dataName} is {column.Type}; it must be a known-size vector of Single.");
        if (vector.Size > MaximumDimensions)
            throw new ArgumentOutOfRangeException("embeddingColumnName", $"Embedding column '{name}' in the {dataName} has {vector.Size} values per row; at most {MaximumDimensions} are supported.");
        if (size is { } expected && vector.Size != expected)
            throw new ArgumentOutOfRangeException("embeddingColumnName",
                $"Embedding column '{name}' in the {dataName} has {vector.Size} values per row, but the references have {expected}. Embed both with the same model.");
        return vector.Size;
    }

    /// <summary>Throws unless <paramref name="name"/> is a key column; returns its key count.</summary>
    public static int CheckLabel(DataViewSchema schema, string name)
    {
        var column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException("labelColumnName", $"Label column '{name}' is not in the reference data; set labelColumnName.");
        if (column.Type is not KeyDataViewType key)
            throw new ArgumentOutOfRangeException("labelColumnName",
                $"Label column '{name}' of the reference data is {column.Type}; it must be a key type. Add mlContext.Transforms.Conversion.MapValueToKey(\"{name}\") first.");
        if (key.Count < 1 || key.Count > 1 << 20)
            throw new ArgumentOutOfRangeException("labelColumnName", $"Label column '{name}' has {key.Count} key values; 1 to {1 << 20} classes are supported.");
        return (int)key.Count;
    }
}
