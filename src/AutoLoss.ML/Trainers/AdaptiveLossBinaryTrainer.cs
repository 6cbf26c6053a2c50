using AutoLoss.Core.Training;
using AutoLoss.ML.Catalog;
using AutoLoss.ML.Data;
using AutoLoss.ML.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Trainers;

/// <summary>
/// Trains a two-class TorchSharp student for binary classification while an adaptive loss (see
/// <see cref="Options.Loss"/>; cross-entropy by default) decides what it minimises at each step.
/// Create it with <c>mlContext.BinaryClassification.Trainers.AdaptiveLoss(...)</c>.
/// </summary>
public sealed partial class AdaptiveLossBinaryTrainer : IEstimator<AdaptiveLossBinaryTransformer>
{
    private readonly Options _options;
    private readonly StudentFitter _fitter;

    internal AdaptiveLossBinaryTrainer(TrainingHost host, Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _fitter = new StudentFitter(host, options, TaskKind.BinaryClassification);
        _fitter.ValidateOptions();
    }

    /// <summary>The options this trainer was created with.</summary>
    public Options TrainerOptions => _options;

    /// <summary>Trains the student on <paramref name="input"/> and returns the fitted model. Any
    /// failure or cancellation releases every tensor and module created on the way.</summary>
    public AdaptiveLossBinaryTransformer Fit(IDataView input)
    {
        var (outcome, columns, _) = _fitter.Fit(input);
        try
        {
            var scorer = StudentScorer.Classifier(outcome.Student, _options.Student, columns.FeatureCount, 2);
            return new AdaptiveLossBinaryTransformer(scorer, _options.FeatureColumnName, outcome.History);
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
        if (label.Kind != SchemaShape.Column.VectorKind.Scalar || label.IsKey || label.ItemType != BooleanDataViewType.Instance)
            throw new ArgumentOutOfRangeException(nameof(Options.LabelColumnName),
                TrainingColumns.BinaryLabelProblem(o.LabelColumnName, label.Kind == SchemaShape.Column.VectorKind.Scalar ? label.ItemType : $"{label.Kind} of {label.ItemType}", "input schema"));

        var produced = MlNetInternals.SchemaShapeFrom(BinaryOutputColumns.Instance.Append(new DataViewSchema.Builder().ToSchema()));
        return new SchemaShape(inputSchema.Where(c => !produced.Any(p => p.Name == c.Name)).Concat(produced));
    }
}
