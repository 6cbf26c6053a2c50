using AutoLoss.Core.Search;
using AutoLoss.Core.Search.Nao;
using AutoLoss.Core.Training;
using AutoLoss.ML.Catalog;
using AutoLoss.ML.Data;
using Microsoft.ML;

namespace AutoLoss.ML.StudentSearch;

/// <summary>Reads the data once, checks the options, and runs <see cref="ArchitectureSearch"/>.</summary>
internal static class StudentSearchRunner
{
    /// <param name="host">The catalog's MLContext link (seed, log).</param>
    /// <param name="trainData">The user's rows.</param>
    /// <param name="options">The search's options.</param>
    /// <param name="resolve">The task of the label column (multiclass keys, binary Booleans), checking its type.</param>
    public static ArchitectureSearchResult Run(TrainingHost host, IDataView trainData, StudentSearchOptions options, Func<DataViewSchema, string, string, TrainingTask> resolve)
    {
        ArgumentNullException.ThrowIfNull(trainData);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Space is null) throw new ArgumentNullException(nameof(options.Space), "Space must be set (e.g. new MlpArchitectureSpace()).");
        if (options.Nao is null) throw new ArgumentNullException(nameof(options.Nao), "Nao must be set (e.g. new NaoOptions()).");
        if (options.NumberOfEpochs < 1) throw new ArgumentOutOfRangeException(nameof(options.NumberOfEpochs), options.NumberOfEpochs, "NumberOfEpochs must be at least 1 (default 5).");
        if (options.MaxTrials < 1) throw new ArgumentOutOfRangeException(nameof(options.MaxTrials), options.MaxTrials, "MaxTrials must be at least 1 (default 100).");
        if (options.MaxConcurrentTrials < 1) throw new ArgumentOutOfRangeException(nameof(options.MaxConcurrentTrials), options.MaxConcurrentTrials, "MaxConcurrentTrials must be at least 1 (default 1).");
        if (options.ValidationData is null && !(options.ValidationFraction > 0 && options.ValidationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(options.ValidationFraction), options.ValidationFraction, "ValidationFraction must be in (0, 1) (default 0.2), or set ValidationData: every architecture is scored on validation rows.");
        options.Nao.Validate();

        int seed = options.ContinueFrom?.Seed ?? host.NextSeed(options.Seed);
        using var data = SearchDataSplit.Read(trainData, options.ValidationData, options.ValidationFraction, options.LabelColumnName, options.FeatureColumnName,
            resolve, seed, "student search", options.CancellationToken);
        if (data.Task is not ClassificationTask)
            throw new ArgumentException($"The student search scores classification students; the label makes this a {data.Task} task. Remove StudentSearch or use a classification label.", nameof(options));
        var nao = options.Nao;
        nao.InputSize = data.FeatureCount;
        nao.OutputSize = data.Task.OutputSize;
        var settings = new TrainingSettings { NumberOfEpochs = options.NumberOfEpochs, BatchSize = options.BatchSize, LearningRate = options.LearningRate, Device = ComputeDevice.Cpu };
        settings.Validate(data.Task);
        var runner = new SearchRunnerOptions
        {
            Seed = seed,
            TrialsPerRound = Math.Max(SearchRunnerOptions.DefaultTrialsPerRound, options.MaxConcurrentTrials),
            Stopper = options.StopHopelessTrials ? new MedianTrialStopper() : NoTrialStopper.Instance,
            Budget = new SearchBudget { MaxTrials = options.MaxTrials, MaxWallTime = options.MaxWallTime, MaxConcurrentTrials = options.MaxConcurrentTrials },
        };
        var progress = options.Progress is { } report
            ? new SynchronousProgress<FinishedTrial<int[]>>(t => report(new EvaluatedStudent(t.Trial.Id, options.Space.Canonical(t.Trial.Candidate), options.Space.Decode(t.Trial.Candidate).ToString(),
                t.Result.MetricValue, options.Space.ParameterCount(t.Trial.Candidate, nao.InputSize, nao.OutputSize))))
            : null;
        host.Info($"Student search ({(options.UseNao ? "NAO" : "random")}): {data.Train.Count} training rows, {data.Validation.Count} validation rows, {data.FeatureCount} features, seed {seed}.");
        return ArchitectureSearch.RunAsync(options.Space, data.Task, data.Train, data.Validation, settings, options.UseNao, nao, runner, progress, options.ContinueFrom, options.CancellationToken)
            .GetAwaiter().GetResult();
    }
}
