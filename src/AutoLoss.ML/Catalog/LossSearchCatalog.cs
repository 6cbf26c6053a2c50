using AutoLoss;
using AutoLoss.ML.Catalog;
using AutoLoss.ML.Data;
using AutoLoss.ML.LossSearch;

namespace Microsoft.ML;

/// <summary>Catalog extensions that search a loss function for a task on the user's data.</summary>
public static class LossSearchCatalog
{
    /// <summary>
    /// Searches a classification loss on <paramref name="trainData"/>: each candidate loss trains the options' student
    /// for a few epochs on the training rows and is scored by its accuracy on the validation rows (held out, or
    /// <see cref="LossSearchOptions.ValidationData"/>); the best loss comes back as a <see cref="SearchedLoss"/>,
    /// white-box text with its provenance. Train with it through <c>Loss = searched.ToLossOptions()</c>, save it with
    /// <c>searched.Save(path)</c>. Blocks until the budget is spent, the search ends, or the options' token is cancelled.
    /// </summary>
    /// <param name="catalog">The multiclass classification catalog.</param>
    /// <param name="trainData">Rows with a key-typed label column and a known-size float vector features column.</param>
    /// <param name="options">The search and its budget (defaults: AutoLoss-Zero, 200 candidates).</param>
    /// <exception cref="ArgumentException">A column is missing or of the wrong type, an option is out of range, or there
    /// are no training or validation rows; the message names the column or option and the fix.</exception>
    /// <exception cref="InvalidOperationException">No candidate completed its training run within the budget.</exception>
    public static SearchedLoss SearchLoss(this MulticlassClassificationCatalog catalog, IDataView trainData, LossSearchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return LossSearchRunner.Run(new TrainingHost(catalog, "LossSearch"), trainData, options ?? new LossSearchOptions(),
            (schema, label, data) => TrainingTask.Multiclass(TrainingColumns.CheckLabel(schema, label, data)));
    }

    /// <summary>
    /// Searches a binary classification loss on <paramref name="trainData"/> (a Boolean label column), as the multiclass
    /// overload does: the student has two outputs, and candidates are scored by accuracy on the validation rows.
    /// </summary>
    /// <param name="catalog">The binary classification catalog.</param>
    /// <param name="trainData">Rows with a Boolean label column and a known-size float vector features column.</param>
    /// <param name="options">The search and its budget (defaults: AutoLoss-Zero, 200 candidates).</param>
    /// <exception cref="ArgumentException">A column is missing or of the wrong type, an option is out of range, or a
    /// class or the validation rows are missing; the message names the column or option and the fix.</exception>
    /// <exception cref="InvalidOperationException">No candidate completed its training run within the budget.</exception>
    public static SearchedLoss SearchLoss(this BinaryClassificationCatalog catalog, IDataView trainData, LossSearchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return LossSearchRunner.Run(new TrainingHost(catalog, "LossSearch"), trainData, options ?? new LossSearchOptions(), TrainingColumns.CheckBinaryLabel);
    }
}
