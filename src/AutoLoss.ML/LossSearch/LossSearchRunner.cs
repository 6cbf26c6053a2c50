using AutoLoss.Core.Data;
using AutoLoss.Core.Search;
using AutoLoss.Core.Training;
using AutoLoss.ML.Catalog;
using AutoLoss.ML.Data;
using Microsoft.ML;

namespace AutoLoss.ML.LossSearch;

/// <summary>Reads the IDataView(s) into the core's tensors once, checks every option, and runs the search method on
/// one proxy task (the training rows, scored on the validation rows).</summary>
internal static class LossSearchRunner
{
    /// <param name="host">The catalog's MLContext link (seed, log).</param>
    /// <param name="trainData">The user's rows.</param>
    /// <param name="options">The search's options.</param>
    /// <param name="resolve">The task of the label column (multiclass keys, binary Booleans), checking its type.</param>
    public static SearchedLoss Run(TrainingHost host, IDataView trainData, LossSearchOptions options, Func<DataViewSchema, string, string, TrainingTask> resolve)
    {
        ArgumentNullException.ThrowIfNull(trainData);
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        int seed = host.NextSeed(options.Seed);
        var token = options.CancellationToken;
        using var data = SearchDataSplit.Read(trainData, options.ValidationData, options.ValidationFraction, options.LabelColumnName, options.FeatureColumnName,
            resolve, seed, "loss search", token);
        options.Student.ValidateInput(data.FeatureCount, nameof(options.Student));
        var settings = new TrainingSettings { NumberOfEpochs = options.NumberOfEpochs, BatchSize = options.BatchSize, LearningRate = options.LearningRate, Device = ComputeDevice.Cpu };
        settings.Validate(data.Task);
        var task = new LossProxyTask("training data", data.Task, data.Train, data.Validation, () => options.Student, settings);
        var runner = new SearchRunnerOptions
        {
            Seed = seed,
            TrialsPerRound = Math.Max(SearchRunnerOptions.DefaultTrialsPerRound, options.MaxConcurrentTrials),
            Budget = new SearchBudget { MaxTrials = options.MaxTrials, MaxWallTime = options.MaxWallTime, MaxConcurrentTrials = options.MaxConcurrentTrials },
        };
        var progress = options.Progress is { } report ? new SynchronousProgress<LossSearchTrial>(report) : null;
        host.Info($"Loss search ({options.Method.GetType().Name}): {data.Train.Count} training rows, {data.Validation.Count} validation rows, {data.FeatureCount} features, {data.Task}, seed {seed}.");
        return options.Method.SearchAsync([task], runner, progress, token).GetAwaiter().GetResult();
    }

    private static void Validate(LossSearchOptions o)
    {
        if (o.Method is null) throw new ArgumentNullException(nameof(o.Method), "Method must be set (e.g. new AutoLossZeroSearch()).");
        if (o.Student is null) throw new ArgumentNullException(nameof(o.Student), "Student must be set (e.g. new MlpSpec()).");
        o.Student.Validate(nameof(o.Student));
        if (o.NumberOfEpochs < 1) throw new ArgumentOutOfRangeException(nameof(o.NumberOfEpochs), o.NumberOfEpochs, "NumberOfEpochs must be at least 1 (default 10).");
        if (!(o.ValidationFraction > 0 && o.ValidationFraction < 1) && o.ValidationData is null)
            throw new ArgumentOutOfRangeException(nameof(o.ValidationFraction), o.ValidationFraction, "ValidationFraction must be in (0, 1) (default 0.2), or set ValidationData: every candidate is measured on validation rows.");
        if (o.MaxTrials < 1) throw new ArgumentOutOfRangeException(nameof(o.MaxTrials), o.MaxTrials, "MaxTrials must be at least 1 (default 200).");
        if (o.MaxConcurrentTrials < 1) throw new ArgumentOutOfRangeException(nameof(o.MaxConcurrentTrials), o.MaxConcurrentTrials, "MaxConcurrentTrials must be at least 1 (default 1).");
        if (o.MaxWallTime is { } t && t <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(o.MaxWallTime), t, "MaxWallTime must be positive, or null for no limit.");
    }
}
