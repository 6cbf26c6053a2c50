using AutoLoss.Core.Training;
using AutoLoss.ML.Catalog;
using AutoLoss.ML.Data;
using AutoLoss.ML.Scoring;
using AutoLoss.ML.Trainers;
using Microsoft.ML;

namespace AutoLoss;

/// <summary>
/// What the multiclass, binary and regression AdaptiveLoss trainers share: options validated at construction, a
/// <see cref="Fit"/> that trains the student through the shared fitter and wraps it in the task's model (releasing
/// the student if that fails), and a <see cref="GetOutputSchema"/> that checks the input columns and appends the
/// task's output columns. Each task supplies only its label check and its model.
/// </summary>
/// <typeparam name="TOptions">The trainer's options.</typeparam>
/// <typeparam name="TModel">The fitted model.</typeparam>
public abstract class AdaptiveLossTrainerBase<TOptions, TModel> : IEstimator<TModel>
    where TOptions : AdaptiveLossTrainerOptionsBase
    where TModel : AdaptiveLossTransformerBase
{
    private readonly StudentFitter _fitter;

    private protected AdaptiveLossTrainerBase(TrainingHost host, TOptions options, TaskBinding task)
    {
        ArgumentNullException.ThrowIfNull(options);
        TrainerOptions = options;
        _fitter = new StudentFitter(host, options, task);
        _fitter.ValidateOptions();
    }

    /// <summary>The options this trainer was created with.</summary>
    public TOptions TrainerOptions { get; }

    /// <summary>Trains the student on <paramref name="input"/> and returns the fitted model. Any
    /// failure or cancellation releases every tensor and module created on the way.</summary>
    public TModel Fit(IDataView input)
    {
        var (outcome, columns, scaling, search) = _fitter.Fit(input);
        try
        {
            var model = CreateModel(outcome, columns, scaling, input.Schema);
            model.TrainingLoss = TrainerOptions.Loss.ToString();
            model.StudentSearch = search;
            return model;
        }
        catch
        {
            outcome.Student.Dispose();
            outcome.LearnedLoss?.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        _fitter.ValidateOptions();
        var columns = _fitter.CheckInputShape(inputSchema);
        var label = columns[TrainerOptions.LabelColumnName];
        CheckLabel(label);
        var produced = MlNetInternals.SchemaShapeFrom(OutputColumnsFor(label).Append(new DataViewSchema.Builder().ToSchema()));
        return new SchemaShape(inputSchema.Where(c => !produced.Any(p => p.Name == c.Name)).Concat(produced));
    }

    /// <summary>The fitted model around the trained student (which it then owns).</summary>
    private protected abstract TModel CreateModel(TrainingOutcome outcome, TrainingColumns columns, LabelStandardization scaling, DataViewSchema inputSchema);

    /// <summary>Throws, naming LabelColumnName and the fix, when the label's shape does not suit the task.</summary>
    private protected abstract void CheckLabel(SchemaShape.Column label);

    /// <summary>The output columns the model will append, for a label of this shape.</summary>
    private protected abstract IOutputColumns OutputColumnsFor(SchemaShape.Column label);
}
