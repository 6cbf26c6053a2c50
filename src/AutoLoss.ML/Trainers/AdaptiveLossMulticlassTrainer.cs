using AutoLoss.Core.Data;
using AutoLoss.Core.Training;
using AutoLoss.ML.Catalog;
using AutoLoss.ML.Data;
using AutoLoss.ML.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Trainers;

/// <summary>
/// Trains a TorchSharp student for multiclass classification while an adaptive loss (see
/// <see cref="Options.Loss"/>) decides what it minimises at each step. Create it with
/// <c>mlContext.MulticlassClassification.Trainers.AdaptiveLoss(...)</c>.
/// </summary>
public sealed partial class AdaptiveLossMulticlassTrainer : IEstimator<AdaptiveLossMulticlassTransformer>
{
    private readonly TrainingHost _host;
    private readonly Options _options;

    internal AdaptiveLossMulticlassTrainer(TrainingHost host, Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _host = host;
        _options = options;
        ValidateOptions(options);
    }

    /// <summary>The options this trainer was created with.</summary>
    public Options TrainerOptions => _options;

    /// <summary>Trains the student on <paramref name="input"/> and returns the fitted model. Any
    /// failure or cancellation releases every tensor and module created on the way.</summary>
    public AdaptiveLossMulticlassTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var o = _options;
        ValidateOptions(o);
        var columns = TrainingColumns.Resolve(input.Schema, o.LabelColumnName, o.FeatureColumnName, o.ExampleWeightColumnName, "training data");
        TrainingColumns? validationColumns = null;
        if (o.ValidationData is not null)
        {
            validationColumns = TrainingColumns.Resolve(o.ValidationData.Schema, o.LabelColumnName, o.FeatureColumnName, o.ExampleWeightColumnName, "validation data");
            if (validationColumns.ClassCount != columns.ClassCount || validationColumns.FeatureCount != columns.FeatureCount)
                throw new ArgumentException(
                    $"ValidationData has {validationColumns.ClassCount} label keys and {validationColumns.FeatureCount} features, training data {columns.ClassCount} and {columns.FeatureCount}; " +
                    "build both with the same fitted transforms.", nameof(Options.ValidationData));
        }
        o.Loss.Validate(columns.ClassCount, nameof(Options.Loss));
        bool hasValidation = o.ValidationData is not null || o.ValidationFraction > 0;
        StudentTrainer.RequireValidationWhereNeeded(o.Loss, o.EarlyStoppingPatience, hasValidation);

        var device = DeviceSelector.Resolve(o.Device, nameof(Options.Device));
        int seed = _host.NextSeed(o.Seed);
        var token = o.CancellationToken;
        var holdOut = new HoldOut(o.ValidationData is null ? o.ValidationFraction : 0, seed);
        var keyValues = LabelKeyValues.FromLabel(input.Schema[o.LabelColumnName]);

        InMemoryDataset? cached = null, validation = null;
        try
        {
            void RequireRows(LabelCensus census)
            {
                if (census.Total == 0)
                    throw new ArgumentException(
                        $"The training data is empty: it has no rows with a label in column '{o.LabelColumnName}'" +
                        (holdOut.Fraction > 0 ? " after holding out the validation fraction" : "") + "; pass non-empty data.", nameof(input));
            }

            ITrainingBatchSource source;
            LabelCensus census;
            if (ShouldCache(input, columns.FeatureCount))
            {
                var rows = RowArrays.Read(input, columns, "training data", p => !holdOut.Contains(p), token);
                census = rows.Census;
                RequireRows(census);
                source = cached = rows.ToDataset(device);
            }
            else
            {
                census = LabelCensus.Count(input, columns, "training data", p => !holdOut.Contains(p), token);
                RequireRows(census);
                source = new DataViewBatchSource(input, columns, holdOut, o.ShufflePoolSize, census.Total);
            }

            if (hasValidation)
            {
                var rows = o.ValidationData is not null
                    ? RowArrays.Read(o.ValidationData, validationColumns!, "validation data", _ => true, token)
                    : RowArrays.Read(input, columns, "training data", holdOut.Contains, token);
                if (rows.Count == 0)
                    throw new ArgumentException("The validation data is empty; raise ValidationFraction or pass a non-empty ValidationData.", nameof(Options.ValidationData));
                rows.Census.RequireClassesOf(census, o.LabelColumnName);
                validation = rows.ToDataset(device);
            }
            _host.Info($"AdaptiveLoss: {census.Total} training rows ({(cached is null ? "streamed" : "cached")}), {validation?.Count ?? 0} validation rows, {columns.FeatureCount} features, {columns.ClassCount} classes, seed {seed}.");

            var outcome = StudentTrainer.Train(
                new TrainingProblem { Student = o.Student, NumberOfClasses = columns.ClassCount, Train = source, Validation = validation, Loss = o.Loss },
                ToSettings(o, device.type == TorchSharp.DeviceType.CUDA ? ComputeDevice.Cuda : ComputeDevice.Cpu, seed));
            var scorer = new StudentScorer(outcome.Student, o.Student, columns.FeatureCount, columns.ClassCount);
            return new AdaptiveLossMulticlassTransformer(scorer, o.FeatureColumnName, keyValues, outcome.History);
        }
        finally
        {
            cached?.Dispose();
            validation?.Dispose();
        }
    }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        var o = _options;
        ValidateOptions(o);
        var columns = inputSchema.ToDictionary(c => c.Name);
        if (!columns.TryGetValue(o.LabelColumnName, out var label))
            throw new ArgumentOutOfRangeException(nameof(Options.LabelColumnName), $"Label column '{o.LabelColumnName}' is not in the input schema; set LabelColumnName to an existing column.");
        if (!label.IsKey)
            throw new ArgumentOutOfRangeException(nameof(Options.LabelColumnName),
                $"Label column '{o.LabelColumnName}' is {label.ItemType}, not a key type. Add mlContext.Transforms.Conversion.MapValueToKey(\"{o.LabelColumnName}\") before the trainer.");
        if (!columns.TryGetValue(o.FeatureColumnName, out var features))
            throw new ArgumentOutOfRangeException(nameof(Options.FeatureColumnName), $"Feature column '{o.FeatureColumnName}' is not in the input schema.");
        if (features.Kind != SchemaShape.Column.VectorKind.Vector || features.ItemType != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(nameof(Options.FeatureColumnName),
                $"Feature column '{o.FeatureColumnName}' must be a known-size vector of Single (float); it is {features.Kind} of {features.ItemType}.");
        if (o.ExampleWeightColumnName is { } w && (!columns.TryGetValue(w, out var weight) || weight.Kind != SchemaShape.Column.VectorKind.Scalar || weight.ItemType != NumberDataViewType.Single))
            throw new ArgumentOutOfRangeException(nameof(Options.ExampleWeightColumnName), $"Example weight column '{w}' must exist and be a single float.");

        // The output columns' shapes come from a concrete two-class schema: only names, kinds and
        // annotation presence matter in a SchemaShape, not the class count.
        bool hasKeyValues = label.Annotations.Any(a => a.Name == LabelKeyValues.KeyValuesKind);
        var keys = hasKeyValues ? LabelKeyValues.FromSaved("text", ["a", "b"]) : null;
        var produced = MlNetInternals.SchemaShapeFrom(MulticlassOutputColumns.Append(new DataViewSchema.Builder().ToSchema(), 2, keys));
        var result = inputSchema.Where(c => !produced.Any(p => p.Name == c.Name)).Concat(produced);
        return new SchemaShape(result);
    }

    private bool ShouldCache(IDataView input, int featureCount) => _options.Caching switch
    {
        DataCaching.InMemory => true,
        DataCaching.Streaming => false,
        _ => input.GetRowCount() is { } rows && rows * featureCount * 4.0 <= _options.MaxCacheMegabytes * 1048576.0,
    };

    /// <summary>The core loop's settings for these options (device and seed resolved by the caller).</summary>
    private TrainingSettings ToSettings(Options o, ComputeDevice device, int seed) => new()
    {
        NumberOfEpochs = o.NumberOfEpochs,
        BatchSize = o.BatchSize,
        LearningRate = o.LearningRate,
        Optimizer = o.Optimizer,
        Momentum = o.Momentum,
        WeightDecay = o.WeightDecay,
        LearningRateSchedule = o.LearningRateSchedule,
        LearningRateDecayEpochs = o.LearningRateDecayEpochs,
        LearningRateDecayFactor = o.LearningRateDecayFactor,
        EarlyStoppingPatience = o.EarlyStoppingPatience,
        EarlyStoppingMetric = o.EarlyStoppingMetric,
        Device = device,
        Seed = seed,
        Progress = o.Progress,
        Log = _host.Info,
        CancellationToken = o.CancellationToken,
    };

    /// <summary>Checks every option that can be checked without data; runs in every build configuration.</summary>
    private void ValidateOptions(Options o)
    {
        if (o.Student is null) throw new ArgumentNullException(nameof(Options.Student), "Student must be set (e.g. new MlpSpec()).");
        if (o.Loss is null) throw new ArgumentNullException(nameof(Options.Loss), "Loss must be set (e.g. LossOptions.CrossEntropy()).");
        ToSettings(o, o.Device, seed: 0).Validate();
        if (!(o.ValidationFraction >= 0 && o.ValidationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(Options.ValidationFraction), $"ValidationFraction is {o.ValidationFraction}; it must be in [0, 1) (e.g. 0.1).");
        if (o.ShufflePoolSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(Options.ShufflePoolSize), $"ShufflePoolSize is {o.ShufflePoolSize}; it must be positive (e.g. 10000).");
        if (o.MaxCacheMegabytes < 0)
            throw new ArgumentOutOfRangeException(nameof(Options.MaxCacheMegabytes), $"MaxCacheMegabytes is {o.MaxCacheMegabytes}; it must be >= 0.");
        if (!Enum.IsDefined(o.Caching))
            throw new ArgumentOutOfRangeException(nameof(Options.Caching), $"Caching value {(int)o.Caching} is not known.");
        o.Student.Validate(nameof(Options.Student));
    }
}
