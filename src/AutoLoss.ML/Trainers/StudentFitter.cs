using AutoLoss.Core.Data;
using AutoLoss.Core.Training;
using AutoLoss.ML.Catalog;
using AutoLoss.ML.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoLoss.ML.Trainers;

/// <summary>
/// The part of <c>Fit</c> every AdaptiveLoss trainer shares: option and schema checks, reading the
/// training data (cached or streamed) and validation data, and running the core training loop. The
/// task's trainer checks its label shape and wraps the trained student in its transformer.
/// </summary>
internal sealed class StudentFitter(TrainingHost host, AdaptiveLossTrainerOptionsBase options, TaskBinding binding)
{
    /// <summary>Checks every option that can be checked without data; runs in every build configuration.</summary>
    public void ValidateOptions()
    {
        var o = options;
        if (o.Student is null) throw new ArgumentNullException(nameof(o.Student), "Student must be set (e.g. new MlpSpec()).");
        if (o.Loss is null)
            throw new ArgumentNullException(nameof(o.Loss), $"Loss must be set (e.g. {binding.OptionCheckTask.CreateDefaultLoss()}).");
        ToSettings(o.Device, seed: 0).Validate(binding.OptionCheckTask);
        if (!(o.ValidationFraction >= 0 && o.ValidationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(o.ValidationFraction), $"ValidationFraction is {o.ValidationFraction}; it must be in [0, 1) (e.g. 0.1).");
        if (o.ShufflePoolSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(o.ShufflePoolSize), $"ShufflePoolSize is {o.ShufflePoolSize}; it must be positive (e.g. 10000).");
        if (o.MaxCacheMegabytes < 0)
            throw new ArgumentOutOfRangeException(nameof(o.MaxCacheMegabytes), $"MaxCacheMegabytes is {o.MaxCacheMegabytes}; it must be >= 0.");
        if (!Enum.IsDefined(o.Caching))
            throw new ArgumentOutOfRangeException(nameof(o.Caching), $"Caching value {(int)o.Caching} is not known.");
        o.Student.Validate(nameof(o.Student));
        if (binding.TaskKnownBeforeData)
            o.Loss.Validate(binding.OptionCheckTask, nameof(o.Loss)); // e.g. a classification loss on regression is refused now, not at Fit
    }

    /// <summary>Checks the features and weight columns of an input <see cref="SchemaShape"/>
    /// (the label is the task's to check); returns the columns by name.</summary>
    public Dictionary<string, SchemaShape.Column> CheckInputShape(SchemaShape inputSchema)
    {
        var o = options;
        var columns = inputSchema.ToDictionary(c => c.Name);
        if (!columns.ContainsKey(o.LabelColumnName))
            throw new ArgumentOutOfRangeException(nameof(o.LabelColumnName), $"Label column '{o.LabelColumnName}' is not in the input schema; set LabelColumnName to an existing column.");
        if (!columns.TryGetValue(o.FeatureColumnName, out var features))
            throw new ArgumentOutOfRangeException(nameof(o.FeatureColumnName), $"Feature column '{o.FeatureColumnName}' is not in the input schema.");
        if (features.Kind != SchemaShape.Column.VectorKind.Vector || features.ItemType != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(nameof(o.FeatureColumnName),
                $"Feature column '{o.FeatureColumnName}' must be a known-size vector of Single (float); it is {features.Kind} of {features.ItemType}.");
        if (o.ExampleWeightColumnName is { } w && (!columns.TryGetValue(w, out var weight) || weight.Kind != SchemaShape.Column.VectorKind.Scalar || weight.ItemType != NumberDataViewType.Single))
            throw new ArgumentOutOfRangeException(nameof(o.ExampleWeightColumnName), $"Example weight column '{w}' must exist and be a single float.");
        return columns;
    }

    /// <summary>Trains a student on <paramref name="input"/>. Any failure or cancellation releases every
    /// tensor and module created on the way; on success the caller owns the outcome's student, whose
    /// regression outputs <c>Scaling.Restore</c> maps back to label units.</summary>
    public (TrainingOutcome Outcome, TrainingColumns Columns, LabelStandardization Scaling, ArchitectureSearchResult? Search) Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var o = options;
        ValidateOptions();
        var columns = TrainingColumns.Resolve(input.Schema, binding.ResolveTask, o.LabelColumnName, o.FeatureColumnName, o.ExampleWeightColumnName, "training data");
        TrainingColumns? validationColumns = null;
        if (o.ValidationData is not null)
        {
            validationColumns = TrainingColumns.Resolve(o.ValidationData.Schema, binding.ResolveTask, o.LabelColumnName, o.FeatureColumnName, o.ExampleWeightColumnName, "validation data");
            if (!validationColumns.Task.Equals(columns.Task) || validationColumns.FeatureCount != columns.FeatureCount)
                throw new ArgumentException(
                    $"ValidationData is a {validationColumns.Task} task with {validationColumns.FeatureCount} features, the training data a {columns.Task} task with {columns.FeatureCount}; " +
                    "build both with the same fitted transforms.", nameof(o.ValidationData));
        }
        var (student, search) = SearchedStudent(input, columns);
        student.ValidateInput(columns.FeatureCount, nameof(o.Student));
        if (student is SparseInputSpec sparse)
        {
            // The student reads (slot, value) pairs: its capacity M is the busiest row of the training and validation data.
            int maxNonZero = sparse.MaxNonZero > 0 ? sparse.MaxNonZero : Math.Max(
                NonZeroCensus.MaxNonZero(input, o.FeatureColumnName, o.CancellationToken),
                o.ValidationData is null ? 0 : NonZeroCensus.MaxNonZero(o.ValidationData, o.FeatureColumnName, o.CancellationToken));
            student = sparse = sparse.Resolved(columns.FeatureCount, maxNonZero);
            columns = columns with { MaxNonZero = sparse.MaxNonZero };
            if (validationColumns is not null) validationColumns = validationColumns with { MaxNonZero = sparse.MaxNonZero };
        }
        o.Loss.Validate(columns.Task, nameof(o.Loss));
        bool hasValidation = o.ValidationData is not null || o.ValidationFraction > 0;
        TrainingProblemChecks.RequireValidationWhereNeeded(o.Loss, o.EarlyStoppingPatience, hasValidation);
        if (o.RefitOnAllData && !hasValidation)
            throw new ArgumentException("RefitOnAllData retrains on the training plus validation rows; set ValidationFraction (e.g. 0.1) or ValidationData, or set RefitOnAllData to false.", nameof(o.RefitOnAllData));
        if (o.RefitOnAllData && o.ValidationData is not null && !ShouldCache(input, columns.RowWidth))
            throw new NotSupportedException("RefitOnAllData with an explicit ValidationData needs the training data cached; set Caching = DataCaching.InMemory (or raise MaxCacheMegabytes), or use ValidationFraction.");

        var device = DeviceSelector.Resolve(o.Device, nameof(o.Device));
        int seed = host.NextSeed(o.Seed);
        var token = o.CancellationToken;
        var holdOut = new HoldOut(o.ValidationData is null ? o.ValidationFraction : 0, seed);

        InMemoryDataset? cached = null, validation = null, everything = null;
        RowArrays? trainRows = null;
        ITrainingBatchSource? allRows = null;
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
            LabelStandardization scaling;
            if (ShouldCache(input, columns.RowWidth))
            {
                var rows = trainRows = RowArrays.Read(input, columns, "training data", p => !holdOut.Contains(p), token);
                census = rows.Census;
                RequireRows(census);
                if (columns.Task is BinaryTask) census.RequireBothBinaryClasses(o.LabelColumnName);
                scaling = StandardizationFor(columns.Task, census);
                source = o.ArrangeBatches(cached = rows.ToDataset(device, scaling));
            }
            else
            {
                if (o.StreamingRefusal is { } refusal)
                    throw new NotSupportedException(refusal);
                census = LabelCensus.Count(input, columns, "training data", p => !holdOut.Contains(p), token);
                RequireRows(census);
                if (columns.Task is BinaryTask) census.RequireBothBinaryClasses(o.LabelColumnName);
                scaling = StandardizationFor(columns.Task, census);
                source = new DataViewBatchSource(input, columns, scaling, holdOut, o.ShufflePoolSize, census.Total);
            }

            if (hasValidation)
            {
                var rows = o.ValidationData is not null
                    ? RowArrays.Read(o.ValidationData, validationColumns!, "validation data", _ => true, token)
                    : RowArrays.Read(input, columns, "training data", holdOut.Contains, token);
                if (rows.Count == 0)
                    throw new ArgumentException("The validation data is empty; raise ValidationFraction or pass a non-empty ValidationData.", nameof(o.ValidationData));
                rows.Census.RequireClassesOf(census, o.LabelColumnName);
                validation = rows.ToDataset(device, scaling);
                if (o.RefitOnAllData && o.ValidationData is not null)
                    allRows = o.ArrangeBatches(everything = RowArrays.Concatenate(trainRows!, rows, device, scaling));
                else if (o.RefitOnAllData && cached is not null)
                    allRows = o.ArrangeBatches(everything = RowArrays.Read(input, columns, "training data", _ => true, token).ToDataset(device, scaling));
                else if (o.RefitOnAllData)
                    allRows = new DataViewBatchSource(input, columns, scaling, new HoldOut(0, seed), o.ShufflePoolSize, census.Total + rows.Count);
            }
            host.Info($"AdaptiveLoss: {census.Total} training rows ({(cached is null ? "streamed" : "cached")}), {validation?.Count ?? 0} validation rows, {columns.FeatureCount} features" +
                (columns.MaxNonZero > 0 ? $" (sparse: at most {columns.MaxNonZero} non-zero per row, read as pairs)" : "") + $", {columns.Task}" +
                (columns.Task is RegressionTask ? $" (label mean {scaling.Mean:G6}, standard deviation {scaling.Scale:G6}: the student learns the standardized label)" : "") + $", seed {seed}.");

            var outcome = StudentTrainer.Train(
                new TrainingProblem { Student = student, Task = columns.Task, Train = source, Validation = validation, TrainAndValidation = allRows, Loss = o.Loss, TargetScale = scaling.Scale },
                ToSettings(device.type == TorchSharp.DeviceType.CUDA ? ComputeDevice.Cuda : ComputeDevice.Cpu, seed));
            return (outcome, columns, scaling, search);
        }
        finally
        {
            cached?.Dispose();
            validation?.Dispose();
            everything?.Dispose();
        }
    }

    /// <summary>The student to train: <see cref="AdaptiveLossTrainerOptionsBase.Student"/>, or the best architecture of
    /// the <see cref="AdaptiveLossTrainerOptionsBase.StudentSearch"/> run on <paramref name="input"/>.</summary>
    private (StudentSpec Student, ArchitectureSearchResult? Search) SearchedStudent(IDataView input, TrainingColumns columns)
    {
        if (options.StudentSearch is not { } search) return (options.Student, null);
        if (columns.Task is not ClassificationTask)
            throw new ArgumentException($"StudentSearch scores classification students; this is a {columns.Task} task. Remove StudentSearch and set Student.", nameof(options.StudentSearch));
        search.LabelColumnName = options.LabelColumnName;
        search.FeatureColumnName = options.FeatureColumnName;
        var result = StudentSearch.StudentSearchRunner.Run(host, input, search, binding.ResolveTask);
        return (result.BestStudent(search.Space), result);
    }

    /// <summary>Float targets (regression) are standardized by the training rows' moments; any other label (class
    /// indices, identities) is used as it is.</summary>
    private static LabelStandardization StandardizationFor(TrainingTask task, LabelCensus census) =>
        task.LabelType == TorchSharp.torch.ScalarType.Float32 ? census.Standardization() : LabelStandardization.Identity;

    private bool ShouldCache(IDataView input, int featureCount) => options.Caching switch
    {
        DataCaching.InMemory => true,
        DataCaching.Streaming => false,
        // Auto: cache what fits; data of unknown size too when the batches need random access to cached rows.
        _ => input.GetRowCount() is { } rows ? rows * featureCount * 4.0 <= options.MaxCacheMegabytes * 1048576.0 : options.StreamingRefusal is not null,
    };

    /// <summary>The core loop's settings for these options (device and seed resolved by the caller).</summary>
    private TrainingSettings ToSettings(ComputeDevice device, int seed) => new()
    {
        NumberOfEpochs = options.NumberOfEpochs,
        BatchSize = options.BatchSize,
        LearningRate = options.LearningRate,
        Optimizer = options.Optimizer,
        Momentum = options.Momentum,
        WeightDecay = options.WeightDecay,
        LearningRateSchedule = options.LearningRateSchedule,
        LearningRateDecayEpochs = options.LearningRateDecayEpochs,
        LearningRateDecayFactor = options.LearningRateDecayFactor,
        EarlyStoppingPatience = options.EarlyStoppingPatience,
        Augmentation = options.Augmentation,
        EarlyStoppingMetric = options.EarlyStoppingMetric,
        RefitOnAllData = options.RefitOnAllData,
        Device = device,
        Seed = seed,
        Progress = options.Progress,
        Log = host.Info,
        CancellationToken = options.CancellationToken,
    };
}
