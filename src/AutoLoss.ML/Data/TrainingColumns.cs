using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Data;

/// <summary>The label, features and optional weight columns of a training or scoring schema, checked
/// against what the trainer's task needs. Every failure names the column and says how to fix it.</summary>
internal sealed record TrainingColumns(string Label, TrainingTask Task, string Features, int FeatureCount, string? Weight)
{
    /// <summary>M when the student reads sparse rows as (slot, value) pairs (<see cref="SparseInputSpec"/>), else 0.</summary>
    public int MaxNonZero { get; init; }

    /// <summary>A writer of the student's input rows (one per reader: it keeps a scratch buffer).</summary>
    public FeatureRowWriter CreateRowWriter() => new(FeatureCount, MaxNonZero);

    /// <summary>Values per input row of the student: the feature count, or 2M for sparse rows.</summary>
    public int RowWidth => FeatureRowWriter.Width(FeatureCount, MaxNonZero);

    /// <summary>Number of classes of a classification task (0 for any other).</summary>
    public int ClassCount => (Task as ClassificationTask)?.NumberOfClasses ?? 0;

    /// <summary>Checks a training schema: the label through <paramref name="resolveTask"/> (the trainer's task binding),
    /// then the features and weight. <paramref name="dataName"/> says which data ("training data", "validation data").</summary>
    public static TrainingColumns Resolve(DataViewSchema schema, Func<DataViewSchema, string, string, TrainingTask> resolveTask, string labelName, string featureName, string? weightName, string dataName)
    {
        var task = resolveTask(schema, labelName, dataName);
        int features = CheckFeatures(schema, featureName, dataName);
        if (weightName is not null)
        {
            var weight = schema.GetColumnOrNull(weightName)
                ?? throw new ArgumentOutOfRangeException("ExampleWeightColumnName", $"Example weight column '{weightName}' is not in the {dataName}; add it or set ExampleWeightColumnName to null.");
            if (weight.Type != NumberDataViewType.Single)
                throw new ArgumentOutOfRangeException("ExampleWeightColumnName", $"Example weight column '{weightName}' in the {dataName} is {weight.Type}; it must be a single float (Single). Convert it with mlContext.Transforms.Conversion.ConvertType.");
        }
        return new TrainingColumns(labelName, task, featureName, features, weightName);
    }

    /// <summary>How StudentFitter names the trainer's <c>ValidationData</c> in messages (its <c>dataName</c>).</summary>
    public const string ValidationDataName = "validation data";

    /// <summary>Checks a classification label: present, key type, with at least two classes. Returns the class count.</summary>
    public static int CheckLabel(DataViewSchema schema, string labelName, string dataName)
    {
        var key = RequireKeyLabel(schema, labelName, dataName, "it must be a key type");
        if (key.Count < 2)
            throw new ArgumentException(
                $"Label column '{labelName}' has {key.Count} key value(s); multiclass training needs at least 2 classes. " +
                "The data MapValueToKey was fitted on is empty or holds a single label: train on data with every class.", "LabelColumnName");
        if (key.Count > int.MaxValue)
            throw new ArgumentOutOfRangeException("LabelColumnName", $"Label column '{labelName}' has {key.Count} key values; at most {int.MaxValue} classes are supported.");
        return (int)key.Count;
    }

    /// <summary>Checks that the label of an embedding task is a key column (identities or classes, any number of them).</summary>
    public static void CheckIdentityLabel(DataViewSchema schema, string labelName, string dataName) =>
        RequireKeyLabel(schema, labelName, dataName, "metric learning needs a key type naming each row's identity or class");

    /// <summary>The label's key type, or the error naming the column, <paramref name="need"/> and the MapValueToKey fix.</summary>
    private static KeyDataViewType RequireKeyLabel(DataViewSchema schema, string labelName, string dataName, string need)
    {
        var label = FindLabel(schema, labelName, dataName);
        return label.Type as KeyDataViewType
            ?? throw ColumnError(dataName, "LabelColumnName", $"Label column '{labelName}' in the {dataName} is {label.Type}; {need}.",
                $"Add mlContext.Transforms.Conversion.MapValueToKey(\"{labelName}\") before the trainer.",
                $"mlContext.Transforms.Conversion.MapValueToKey(\"{labelName}\")");
    }

    /// <summary>Checks a regression label: present and a scalar Single (float).</summary>
    public static TrainingTask CheckRegressionLabel(DataViewSchema schema, string labelName, string dataName)
    {
        var label = FindLabel(schema, labelName, dataName);
        if (label.Type != NumberDataViewType.Single)
        {
            if (IsValidationData(dataName))
                throw ValidationDataError($"Label column '{labelName}' in the {dataName} is {label.Type}; regression needs a scalar Single (float) label.",
                    $"mlContext.Transforms.Conversion.ConvertType(\"{labelName}\", outputKind: DataKind.Single)");
            throw new ArgumentOutOfRangeException("LabelColumnName", RegressionLabelProblem(labelName, label.Type, label.Type is KeyDataViewType, dataName));
        }
        return TrainingTask.Regression;
    }

    /// <summary>Checks a binary label: present and Boolean (ML.NET's binary-classification convention).</summary>
    public static TrainingTask CheckBinaryLabel(DataViewSchema schema, string labelName, string dataName)
    {
        var label = FindLabel(schema, labelName, dataName);
        if (label.Type != BooleanDataViewType.Instance)
        {
            if (IsValidationData(dataName))
                throw ValidationDataError($"Label column '{labelName}' in the {dataName} is {label.Type}; binary classification needs a Boolean label (true = positive).",
                    $"mlContext.Transforms.Conversion.ConvertType(\"{labelName}\", outputKind: DataKind.Boolean)");
            throw new ArgumentOutOfRangeException("LabelColumnName", BinaryLabelProblem(labelName, label.Type, dataName));
        }
        return TrainingTask.Binary;
    }

    /// <summary>Why a label column of type <paramref name="type"/> cannot be a binary label, and the fix.</summary>
    public static string BinaryLabelProblem(string labelName, object type, string dataName) =>
        $"Label column '{labelName}' in the {dataName} is {type}; binary classification needs a Boolean label (true = positive), as ML.NET's binary trainers do. " +
        $"Build one with mlContext.Transforms.CustomMapping or an expression (e.g. label == positiveClass), or, for 0/1 floats, " +
        $"mlContext.Transforms.Conversion.ConvertType(\"{labelName}\", outputKind: DataKind.Boolean).";

    /// <summary>Why a label column of type <paramref name="type"/> cannot be a regression label, and the fix.</summary>
    public static string RegressionLabelProblem(string labelName, object type, bool isKey, string dataName) =>
        $"Label column '{labelName}' in the {dataName} is {type}; regression needs a scalar Single (float) label. " +
        (isKey ? $"It is a key (from MapValueToKey): use the original values, or map them back with mlContext.Transforms.Conversion.MapKeyToValue(\"{labelName}\") and then " : "Convert it with ") +
        $"mlContext.Transforms.Conversion.ConvertType(\"{labelName}\", outputKind: DataKind.Single).";

    /// <summary>Checks the features: present, a known-size vector of float. Returns its size.</summary>
    public static int CheckFeatures(DataViewSchema schema, string featureName, string dataName)
    {
        if (string.IsNullOrWhiteSpace(featureName))
            throw new ArgumentException("FeatureColumnName must name the features column (e.g. \"Features\").", "FeatureColumnName");
        string buildFeatures = $"mlContext.Transforms.Concatenate(\"{featureName}\", ...)";
        var column = schema.GetColumnOrNull(featureName)
            ?? throw ColumnError(dataName, "FeatureColumnName", $"Feature column '{featureName}' is not in the {dataName}.",
                $"Set FeatureColumnName or build it with {buildFeatures}.", buildFeatures);
        if (column.Type is not VectorDataViewType vector || vector.ItemType != NumberDataViewType.Single)
            throw ColumnError(dataName, "FeatureColumnName", $"Feature column '{featureName}' in the {dataName} is {column.Type}; it must be a vector of Single (float).",
                "Use mlContext.Transforms.Concatenate and ConvertType to build one.", buildFeatures);
        if (!vector.IsKnownSize)
            throw new ArgumentOutOfRangeException("FeatureColumnName",
                $"Feature column '{featureName}' in the {dataName} is a variable-size vector; the student needs a fixed size. Declare the size (e.g. [VectorType(784)]) or pad/resize the vectors.");
        return vector.Size;
    }

    private static DataViewSchema.Column FindLabel(DataViewSchema schema, string labelName, string dataName)
    {
        if (string.IsNullOrWhiteSpace(labelName))
            throw new ArgumentException("LabelColumnName must name the label column (e.g. \"Label\").", "LabelColumnName");
        return schema.GetColumnOrNull(labelName)
            ?? throw ColumnError(dataName, "LabelColumnName", $"Label column '{labelName}' is not in the {dataName}.",
                "Set LabelColumnName to an existing column.", "yourPreprocessing");
    }

    private static bool IsValidationData(string dataName) => dataName == ValidationDataName;

    /// <summary>The error for a missing or wrongly typed column. The training data's fix is a transform before the
    /// trainer; ValidationData never passes through the pipeline's transforms (ML.NET applies them to the data given
    /// to Fit only), so its fix is to run it through the same fitted transforms, with
    /// <paramref name="preprocessing"/> as the example estimator.</summary>
    private static ArgumentOutOfRangeException ColumnError(string dataName, string option, string problem, string trainingFix, string preprocessing) =>
        IsValidationData(dataName) ? ValidationDataError(problem, preprocessing) : new(option, $"{problem} {trainingFix}");

    private static ArgumentOutOfRangeException ValidationDataError(string problem, string preprocessing) =>
        new("ValidationData",
            $"{problem} ValidationData is used as given: the transforms before the trainer in the pipeline are not applied to it, " +
            "so it must pass through the same fitted transforms as the training data. Fit the preprocessing first, " +
            $"e.g. var prep = {preprocessing}.Fit(train); then set ValidationData = prep.Transform(validation) and fit the trainer on prep.Transform(train).");
}
