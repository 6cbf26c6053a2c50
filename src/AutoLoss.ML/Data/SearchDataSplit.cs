using AutoLoss.Core.Data;
using Microsoft.ML;

namespace AutoLoss.ML.Data;

/// <summary>
/// The rows a search trains and scores its trials on, read once from the user's IDataView(s) into tensors: the columns
/// checked (naming them), the validation rows held out by fraction (seeded) or given, both parts non-empty and with the
/// same classes. Disposing it releases the tensors.
/// </summary>
internal sealed class SearchDataSplit : IDisposable
{
    private SearchDataSplit(TrainingTask task, int featureCount, InMemoryDataset train, InMemoryDataset validation) =>
        (Task, FeatureCount, Train, Validation) = (task, featureCount, train, validation);

    public TrainingTask Task { get; }

    public int FeatureCount { get; }

    public InMemoryDataset Train { get; }

    public InMemoryDataset Validation { get; }

    /// <param name="trainData">The user's rows.</param>
    /// <param name="validationData">Explicit validation rows, or null to hold out <paramref name="validationFraction"/>.</param>
    /// <param name="validationFraction">Fraction of <paramref name="trainData"/> held out when no validation data is given.</param>
    /// <param name="label">The label column.</param>
    /// <param name="features">The features column.</param>
    /// <param name="resolve">The task of the label column, checking its type.</param>
    /// <param name="seed">Seed of the hold-out.</param>
    /// <param name="searchName">The search's name for messages ("loss search").</param>
    /// <param name="token">Cancels the reading.</param>
    public static SearchDataSplit Read(IDataView trainData, IDataView? validationData, double validationFraction, string label, string features,
        Func<DataViewSchema, string, string, TrainingTask> resolve, int seed, string searchName, CancellationToken token)
    {
        var columns = TrainingColumns.Resolve(trainData.Schema, resolve, label, features, null, "training data");
        TrainingColumns? validationColumns = validationData is null ? null : TrainingColumns.Resolve(validationData.Schema, resolve, label, features, null, "validation data");
        if (validationColumns is not null && (!validationColumns.Task.Equals(columns.Task) || validationColumns.FeatureCount != columns.FeatureCount))
            throw new ArgumentException($"ValidationData has {validationColumns.FeatureCount} features and task {validationColumns.Task}, the training data {columns.FeatureCount} and {columns.Task}; build both with the same fitted transforms.", "ValidationData");
        var holdOut = new HoldOut(validationData is null ? validationFraction : 0, seed);
        Core.Training.TorchRuntime.EnsureLoaded();
        var trainRows = RowArrays.Read(trainData, columns, "training data", p => !holdOut.Contains(p), token);
        var validationRows = validationData is null
            ? RowArrays.Read(trainData, columns, "training data", holdOut.Contains, token)
            : RowArrays.Read(validationData, validationColumns!, "validation data", _ => true, token);
        if (trainRows.Count == 0 || validationRows.Count == 0)
            throw new ArgumentException($"The {searchName} needs training and validation rows; it has {trainRows.Count} and {validationRows.Count}. Pass more rows or change ValidationFraction.", nameof(trainData));
        validationRows.Census.RequireClassesOf(trainRows.Census, label);
        if (columns.Task is BinaryTask) trainRows.Census.RequireBothBinaryClasses(label);
        var train = trainRows.ToDataset(TorchSharp.torch.CPU, LabelStandardization.Identity);
        return new SearchDataSplit(columns.Task, columns.FeatureCount, train, validationRows.ToDataset(TorchSharp.torch.CPU, LabelStandardization.Identity));
    }

    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
    }
}
