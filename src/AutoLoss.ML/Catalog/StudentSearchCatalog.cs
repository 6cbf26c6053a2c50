using AutoLoss;
using AutoLoss.ML.Catalog;
using AutoLoss.ML.Data;
using AutoLoss.ML.StudentSearch;

namespace Microsoft.ML;

/// <summary>Catalog extensions that search the student's architecture on the user's data (NAO, or random search).</summary>
public static class StudentSearchCatalog
{
    /// <summary>
    /// Searches a student architecture on <paramref name="trainData"/> with NAO (Luo et al., NeurIPS 2018) or, as the
    /// baseline, random search: each architecture trains for a few epochs and is scored by its accuracy on held-out rows.
    /// The result holds every evaluated architecture, the best one (<c>result.BestStudent(options.Space)</c>, a student
    /// spec to train with any loss) and the search's state; save it, and continue it through
    /// <see cref="StudentSearchOptions.ContinueFrom"/>. Blocks until the budget is spent.
    /// </summary>
    /// <param name="catalog">The multiclass classification catalog.</param>
    /// <param name="trainData">Rows with a key-typed label column and a known-size float vector features column.</param>
    /// <param name="options">The space, strategy, size limit and budget (defaults: NAO over MLPs, 100 architectures).</param>
    /// <exception cref="ArgumentException">A column is missing or of the wrong type, or an option is out of range; the
    /// message names it.</exception>
    public static ArchitectureSearchResult SearchStudent(this MulticlassClassificationCatalog catalog, IDataView trainData, StudentSearchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return StudentSearchRunner.Run(new TrainingHost(catalog, "StudentSearch"), trainData, options ?? new StudentSearchOptions(),
            (schema, label, name) => TrainingTask.Multiclass(TrainingColumns.CheckLabel(schema, label, name)));
    }
}
