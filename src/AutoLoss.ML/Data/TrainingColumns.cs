using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Data;

/// <summary>The label, features and optional weight columns of a training or scoring schema, checked
/// against what the trainer needs. Every failure names the column and says how to fix it.</summary>
internal sealed record TrainingColumns(string Label, int ClassCount, string Features, int FeatureCount, string? Weight)
{
    /// <summary>Checks a training schema. <paramref name="dataName"/> says which data ("training data", "validation data").</summary>
    public static TrainingColumns Resolve(DataViewSchema schema, string labelName, string featureName, string? weightName, string dataName)
    {
        int classes = CheckLabel(schema, labelName, dataName);
        int features = CheckFeatures(schema, featureName, dataName);
        if (weightName is not null)
        {
            var weight = schema.GetColumnOrNull(weightName)
                ?? throw new ArgumentOutOfRangeException("ExampleWeightColumnName", $"Example weight column '{weightName}' is not in the {dataName}; add it or set ExampleWeightColumnName to null.");
            if (weight.Type != NumberDataViewType.Single)
                throw new ArgumentOutOfRangeException("ExampleWeightColumnName", $"Example weight column '{weightName}' in the {dataName} is {weight.Type}; it must be a single float (Single). Convert it with mlContext.Transforms.Conversion.ConvertType.");
        }
        return new TrainingColumns(labelName, classes, featureName, features, weightName);
    }

    /// <summary>Checks the label: present, key type, with at least two classes. Returns the class count.</summary>
    public static int CheckLabel(DataViewSchema schema, string labelName, string dataName)
    {
        if (string.IsNullOrWhiteSpace(labelName))
            throw new ArgumentException("LabelColumnName must name the label column (e.g. \"Label\").", "LabelColumnName");
        var label = schema.GetColumnOrNull(labelName)
            ?? throw new ArgumentOutOfRangeException("LabelColumnName", $"Label column '{labelName}' is not in the {dataName}; set LabelColumnName to an existing column.");
        if (label.Type is not KeyDataViewType key)
            throw new ArgumentOutOfRangeException("LabelColumnName",
                $"Label column '{labelName}' in the {dataName} is {label.Type}; it must be a key type. Add mlContext.Transforms.Conversion.MapValueToKey(\"{labelName}\") before the trainer.");
        if (key.Count < 2)
            throw new ArgumentException(
                $"Label column '{labelName}' has {key.Count} key value(s); multiclass training needs at least 2 classes. " +
                "The data MapValueToKey was fitted on is empty or holds a single label: train on data with every class.", "LabelColumnName");
        if (key.Count > int.MaxValue)
            throw new ArgumentOutOfRangeException("LabelColumnName", $"Label column '{labelName}' has {key.Count} key values; at most {int.MaxValue} classes are supported.");
        return (int)key.Count;
    }

    /// <summary>Checks the features: present, a known-size vector of float. Returns its size.</summary>
    public static int CheckFeatures(DataViewSchema schema, string featureName, string dataName)
    {
        if (string.IsNullOrWhiteSpace(featureName))
            throw new ArgumentException("FeatureColumnName must name the features column (e.g. \"Features\").", "FeatureColumnName");
        var column = schema.GetColumnOrNull(featureName)
            ?? throw new ArgumentOutOfRangeException("FeatureColumnName", $"Feature column '{featureName}' is not in the {dataName}; set FeatureColumnName or build it with mlContext.Transforms.Concatenate(\"{featureName}\", ...).");
        if (column.Type is not VectorDataViewType vector || vector.ItemType != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException("FeatureColumnName",
                $"Feature column '{featureName}' in the {dataName} is {column.Type}; it must be a vector of Single (float). Use mlContext.Transforms.Concatenate and ConvertType to build one.");
        if (!vector.IsKnownSize)
            throw new ArgumentOutOfRangeException("FeatureColumnName",
                $"Feature column '{featureName}' in the {dataName} is a variable-size vector; the student needs a fixed size. Declare the size (e.g. [VectorType(784)]) or pad/resize the vectors.");
        return vector.Size;
    }
}
