using AutoLoss.Core.Training;
using AutoLoss.ML.Catalog;
using AutoLoss.ML.Scoring;
using Microsoft.ML;

namespace AutoLoss.ML.Trainers;

/// <summary>
/// Trains a TorchSharp student for multiclass classification while an adaptive loss (see
/// <see cref="Options.Loss"/>) decides what it minimises at each step. Create it with
/// <c>mlContext.MulticlassClassification.Trainers.AdaptiveLoss(...)</c>.
/// </summary>
public sealed partial class AdaptiveLossMulticlassTrainer : IEstimator<AdaptiveLossMulticlassTransformer>
{
    private readonly Options _options;
    private readonly StudentFitter _fitter;

    internal AdaptiveLossMulticlassTrainer(TrainingHost host, Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _fitter = new StudentFitter(host, options, TaskKind.MulticlassClassification);
        _fitter.ValidateOptions();
    }

    /// <summary>The options this trainer was created with.</summary>
    public Options TrainerOptions => _options;

    /// <summary>Trains the student on <paramref name="input"/> and returns the fitted model. Any
    /// failure or cancellation releases every tensor and module created on the way.</summary>
    public AdaptiveLossMulticlassTransformer Fit(IDataView input)
    {
        var (outcome, columns, _) = _fitter.Fit(input);
        try
        {
            var keyValues = LabelKeyValues.FromLabel(input.Schema[columns.Label]);
            var scorer = StudentScorer.Classifier(outcome.Student, _options.Student, columns.FeatureCount, columns.ClassCount);
            return new AdaptiveLossMulticlassTransformer(scorer, _options.FeatureColumnName, keyValues, outcome.History);
        }
        catch
        {
            outcome.Student.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        var o = _options;
        _fitter.ValidateOptions();
        var columns = _fitter.CheckInputShape(inputSchema);
        var label = columns[o.LabelColumnName];
        if (!label.IsKey)
            throw new ArgumentOutOfRangeException(nameof(Options.LabelColumnName),
                $"Label column '{o.LabelColumnName}' is {label.ItemType}, not a key type. Add mlContext.Transforms.Conversion.MapValueToKey(\"{o.LabelColumnName}\") before the trainer.");

        // The output columns' shapes come from a concrete two-class schema: only names, kinds and
        // annotation presence matter in a SchemaShape, not the class count.
        bool hasKeyValues = label.Annotations.Any(a => a.Name == LabelKeyValues.KeyValuesKind);
        var keys = hasKeyValues ? LabelKeyValues.FromSaved("text", ["a", "b"]) : null;
        var produced = MlNetInternals.SchemaShapeFrom(new MulticlassOutputColumns(2, keys).Append(new DataViewSchema.Builder().ToSchema()));
        return new SchemaShape(inputSchema.Where(c => !produced.Any(p => p.Name == c.Name)).Concat(produced));
    }
}
