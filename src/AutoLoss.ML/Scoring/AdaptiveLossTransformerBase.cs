using AutoLoss.Core.Teaching;
using AutoLoss.ML.Data;
using AutoLoss.ML.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss;

/// <summary>
/// What every fitted AdaptiveLoss model shares: the trained student and the features it reads, lazy
/// batched <c>Transform</c>, row-to-row mapping for <c>CreatePredictionEngine</c>, and release of the
/// student's native memory on <see cref="Dispose"/>. Each task's transformer adds the output columns
/// of ML.NET's built-in trainers for that task. Save models with <c>mlContext.Model.SaveWithAutoLoss</c>.
/// </summary>
public abstract class AdaptiveLossTransformerBase : ITransformer, IDisposable
{
    /// <summary>Rows scored per forward pass by <see cref="Transform"/>.</summary>
    public const int ScoringBatchSize = 256;

    private protected AdaptiveLossTransformerBase(StudentScorer scorer, string featureColumnName, IReadOnlyList<EpochSummary> history, ILearnedLoss? learnedLoss)
    {
        Scorer = scorer;
        FeatureColumnName = featureColumnName;
        TrainingHistory = history;
        LearnedLoss = learnedLoss;
    }

    /// <summary>Name of the features column the model reads.</summary>
    public string FeatureColumnName { get; }

    /// <summary>Number of features the student was trained on.</summary>
    public int FeatureCount => Scorer.FeatureCount;

    /// <summary>The student's architecture.</summary>
    public StudentSpec Student => Scorer.Spec;

    /// <summary>The loss the student was trained with, as code (e.g. <c>LossOptions.Expression("-(y * log(p))")</c> or
    /// <c>LossOptions.CrossEntropy()</c>); kept when the model is saved, so a searched loss travels with its model. Null
    /// for models saved before AutoLoss.ML recorded it.</summary>
    public string? TrainingLoss { get; internal set; }

    /// <summary>The student search that chose this model's architecture (<c>StudentSearch</c> on the trainer's options),
    /// or null. Training state like <see cref="TrainingHistory"/>: not saved with the model (save it with its own <c>Save</c>).</summary>
    public ArchitectureSearchResult? StudentSearch { get; internal set; }

    /// <summary>Per-epoch summaries of the training run (empty for a loaded model).</summary>
    public IReadOnlyList<EpochSummary> TrainingHistory { get; }

    /// <summary>What the loss method learned while training this model: an <c>L2tDlfTeacherModel</c>, an
    /// <c>AlaPolicyModel</c> or a <c>ScheduleController</c> (cast it, or use <see cref="GetLearnedLoss{T}"/>); null for a
    /// fixed loss, a frozen pretrained artefact, or a loaded model (it is training state: save it with its own
    /// <c>Save</c> to reuse it). The model owns it and disposes it with itself.</summary>
    public ILearnedLoss? LearnedLoss { get; }

    /// <summary><see cref="LearnedLoss"/> as a <typeparamref name="T"/>, or null when it is absent or of another type.</summary>
    public T? GetLearnedLoss<T>() where T : class, ILearnedLoss => LearnedLoss as T;

    /// <inheritdoc />
    public bool IsRowToRowMapper => true;

    internal StudentScorer Scorer { get; }

    /// <summary>The columns this model appends.</summary>
    private protected abstract IOutputColumns OutputColumns { get; }

    /// <summary>This model as an ONNX model (see <c>mlContext.Model.ExportToOnnx</c>).</summary>
    internal Onnx.ModelProto ToOnnx() => AutoLoss.ML.Export.OnnxExport.Build(this, OutputColumns);

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        CheckInput(inputSchema);
        return OutputColumns.Append(inputSchema);
    }

    /// <inheritdoc />
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new ScoredDataView(input, GetOutputSchema(input.Schema), Scorer, OutputColumns, FeatureColumnName, ScoringBatchSize);
    }

    /// <summary>Row-at-a-time scoring, used by <c>CreatePredictionEngine</c>. The engine shares this model:
    /// ML.NET's <c>PredictionEngine.Dispose</c> disposes the transformer it was created from (its
    /// <c>OwnsTransformer</c> option defaults to true), so each mapper handed out counts as one more
    /// holder of the student, and that <see cref="Dispose"/> only lets go of the engine's share.</summary>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        var outputSchema = GetOutputSchema(inputSchema);
        Scorer.AddHolder();
        return new ScoringRowMapper(inputSchema, outputSchema, Scorer, OutputColumns, FeatureColumnName);
    }

    /// <summary>Not supported: ML.NET's <c>Model.Save</c> cannot serialise third-party transformers.
    /// <c>Model.Save(model, schema, path)</c> creates the file before it asks any transformer to save itself
    /// and gives the transformer no way to reach that file, so the incomplete file it leaves (which
    /// <c>Model.Load</c> refuses) cannot be prevented from here: the message tells the user to delete it.</summary>
    /// <exception cref="NotSupportedException">Always; use <c>mlContext.Model.SaveWithAutoLoss</c>.</exception>
    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        throw new NotSupportedException("ML.NET's Model.Save cannot store AutoLoss.ML models; use mlContext.Model.SaveWithAutoLoss(model, schema, path) and mlContext.Model.LoadWithAutoLoss(path, out schema). "
            + "If Model.Save was given a file path, ML.NET has already created that file and it holds an incomplete model: delete it.");

    /// <summary>Releases the student network's native memory and the learned loss, once every prediction engine
    /// created from this model has been disposed as well (disposing an engine disposes its model: each engine holds a
    /// share, see <see cref="GetRowToRowMapper"/>). An engine that is never disposed keeps its share: the network is then freed by
    /// TorchSharp's finalizer, not here. Call it once per model; afterwards scoring throws <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (Scorer.Release()) LearnedLoss?.Dispose();   // only the call that freed the last share frees the artefact
    }

    private void CheckInput(DataViewSchema schema)
    {
        int size = TrainingColumns.CheckFeatures(schema, FeatureColumnName, "scoring data");
        if (size != FeatureCount)
            throw new ArgumentOutOfRangeException("FeatureColumnName",
                $"Feature column '{FeatureColumnName}' of the scoring data has {size} values per row, but the model was trained on {FeatureCount}. Build the features with the same transforms as for training.");
    }
}
