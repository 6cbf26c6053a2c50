using System.Diagnostics;
using AutoLoss.Core.Augmentation;
using AutoLoss.Core.Teaching;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoLoss.Core.Training;

/// <summary>
/// The training loop. For every batch it asks the loss teacher for the loss of the student's current
/// state, steps the optimiser on it, and reports back; after every epoch it evaluates validation data,
/// applies early stopping and reports progress. It knows nothing about ML.NET.
/// </summary>
public static class StudentTrainer
{
    /// <summary>Trains a fresh student. On any failure or cancellation every tensor, module and
    /// optimiser it created is disposed before the exception propagates.</summary>
    /// <exception cref="ArgumentException">An option is unusable (checked before any tensor op).</exception>
    /// <exception cref="OperationCanceledException">The settings' token was cancelled.</exception>
    /// <exception cref="InvalidOperationException">Training diverged (non-finite loss).</exception>
    public static TrainingOutcome Train(TrainingProblem problem, TrainingSettings settings)
    {
        var loss = problem.LossOrDefault;
        TrainingProblemChecks.Require(problem, settings, loss);
        problem = AugmentedBatchSource.Wrap(problem, settings.Augmentation);
        settings.CancellationToken.ThrowIfCancellationRequested();

        var device = DeviceSelector.Resolve(settings.Device);
        var log = settings.Log ?? (_ => { });
        long? stepsPerEpoch = StepsPerEpoch(problem, settings);

        var student = TorchSeeding.BuildStudent(problem, settings.Seed);
        optim.Optimizer? optimizer = null;
        ILossTeacher? teacher = null;
        Dictionary<string, Tensor>? best = null;
        try
        {
            student.to(device);
            optimizer = CreateOptimizer(student, settings);
            teacher = loss.CreateTeacher(problem.Task);
            teacher.Begin(new TeachingContext
            {
                Task = problem.Task,
                FeatureCount = problem.Train.FeatureCount,
                Epochs = settings.NumberOfEpochs,
                StepsPerEpoch = stepsPerEpoch,
                Device = device,
                Seed = settings.Seed,
                StudentSpec = problem.Student,
                Validation = problem.Validation,
                Log = log,
                CancellationToken = settings.CancellationToken,
                CreateSideStudent = seed => CreateSideStudent(problem, settings, device, seed, stepsPerEpoch),
            });
            log($"Training {problem.Student} with {loss} on {device.type} for {settings.NumberOfEpochs} epochs, batch {settings.BatchSize}, {settings.Optimizer} lr {settings.LearningRate}.");

            int episodes = teacher.TeacherEpisodes;
            for (int episode = 0; episode < episodes; episode++)
                RunTeacherEpisode(problem, settings, teacher, device, new StudentRun(episode, IsFinal: false, teacher.EpisodeEpochs), log);

            var final = new StudentRun(episodes, IsFinal: true, settings.NumberOfEpochs);
            var run = RunStudent(problem, settings, teacher, student, optimizer, device, final, settings.Seed, log);
            best = run.Best;
            int selectedEpoch = best is not null ? run.BestEpoch : run.History.Count - 1;
            if (settings.RefitOnAllData)
            {
                // The refit replaces the final student: same seed and schedule, the epochs the run kept, all rows.
                DisposeAll(best);
                best = null;
                optimizer.Dispose();
                optimizer = null;
                student.Dispose();
                student = TorchSeeding.BuildStudent(problem, settings.Seed);
                student.to(device);
                optimizer = CreateOptimizer(student, settings);
                var all = new TrainingProblem
                {
                    Student = problem.Student,
                    Task = problem.Task,
                    Train = problem.TrainAndValidation!,
                    Loss = loss,
                    TargetScale = problem.TargetScale,
                };
                log($"Refit: a fresh student on the training and validation rows ({all.Train.RowCount?.ToString() ?? "streamed"}) for {selectedEpoch + 1} epochs.");
                RunStudent(all, settings, teacher, student, optimizer, device, new StudentRun(episodes + 1, IsFinal: true, selectedEpoch + 1, IsRefit: true), settings.Seed, log);
            }
            else if (best is not null)
                student.load_state_dict(best);
            student.to(CPU);
            student.eval();
            return new TrainingOutcome
            {
                Student = student,
                Spec = problem.Student,
                LearnedLoss = teacher.TakeLearned(),
                History = run.History,
                SelectedEpoch = selectedEpoch,
                StoppedEarly = run.StoppedEarly,
                Refitted = settings.RefitOnAllData,
            };
        }
        catch
        {
            student.Dispose();
            throw;
        }
        finally
        {
            DisposeAll(best);
            teacher?.Dispose();
            optimizer?.Dispose();
        }
    }

    /// <summary>One teacher episode: a freshly initialised student (its own seed, or its group's: ILossTeacher.EpisodesPerSeed) trained with the teacher
    /// for <see cref="StudentRun.Epochs"/> epochs, then discarded.</summary>
    private static void RunTeacherEpisode(TrainingProblem problem, TrainingSettings settings, ILossTeacher teacher, Device device,
        StudentRun episode, Action<string> log)
    {
        int seed = unchecked(settings.Seed + 7919 * (episode.Episode / Math.Max(1, teacher.EpisodesPerSeed) + 1));
        using var student = TorchSeeding.BuildStudent(problem, seed);
        student.to(device);
        using var optimizer = CreateOptimizer(student, settings);
        log($"Teacher episode {episode.Episode + 1}: a fresh student for {episode.Epochs} epochs.");
        var run = RunStudent(problem, settings, teacher, student, optimizer, device, episode, seed, log);
        DisposeAll(run.Best);
    }

    /// <summary>A student beside the run's own (same architecture, optimiser, schedule and data; its own seed).</summary>
    private static SideStudent CreateSideStudent(TrainingProblem problem, TrainingSettings settings, Device device, int seed, long? stepsPerEpoch)
    {
        var student = TorchSeeding.BuildStudent(problem, seed);
        try
        {
            student.to(device);
            return new SideStudent(student, CreateOptimizer(student, settings), problem.Train, settings, device, seed, stepsPerEpoch);
        }
        catch
        {
            student.Dispose();
            throw;
        }
    }

    /// <summary>Batches per epoch, or null when the data's row count is not known in advance.</summary>
    private static long? StepsPerEpoch(TrainingProblem problem, TrainingSettings settings) =>
        problem.Train.RowCount is { } n ? (n + settings.BatchSize - 1) / settings.BatchSize : null;

    private sealed record RunResult(List<EpochSummary> History, Dictionary<string, Tensor>? Best, int BestEpoch, bool StoppedEarly);

    /// <summary>The epoch loop for one student. Early stopping and the progress callback apply to the final student only.</summary>
    private static RunResult RunStudent(TrainingProblem problem, TrainingSettings settings, ILossTeacher teacher,
        nn.Module<Tensor, Tensor> student, optim.Optimizer optimizer, Device device, StudentRun run, int seed, Action<string> log)
    {
        long? stepsPerEpoch = StepsPerEpoch(problem, settings);
        string prefix = run.IsRefit ? "refit, " : run.IsFinal ? "" : $"teacher episode {run.Episode + 1}, ";
        bool earlyStopping = run.IsFinal && !run.IsRefit && settings.EarlyStoppingPatience > 0;
        double reportScale = problem.TargetScale * problem.TargetScale; // squared errors back to label units (1 unless targets were scaled)
        var stoppingMetric = settings.EarlyStoppingMetricFor(problem.Task);
        teacher.BeginStudent(run);

        var history = new List<EpochSummary>();
        var clock = Stopwatch.StartNew();
        long step = 0;
        int bestEpoch = -1, sinceBest = 0;
        double bestMetric = double.NegativeInfinity;
        bool stoppedEarly = false;
        Dictionary<string, Tensor>? best = null;
        try
        {
            for (int epoch = 0; epoch < run.Epochs; epoch++)
            {
                // A teacher episode shorter than the real run follows the same schedule, compressed.
                double lr = settings.LearningRateAt(run.IsFinal ? epoch : (int)((long)epoch * settings.NumberOfEpochs / run.Epochs));
                foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
                student.train();
                double lossSum = 0;
                long lossRows = 0;
                foreach (var batch in problem.Train.ReadEpoch(epoch, settings.BatchSize, seed))
                {
                    settings.CancellationToken.ThrowIfCancellationRequested();
                    using var scope = NewDisposeScope();
                    double progress = StudentStep.Progress(step, epoch, stepsPerEpoch, run.Epochs);
                    double value = StudentStep.Take(student, optimizer, batch.ToTensors(device), step, epoch, progress, lr, teacher.ComputeLoss);
                    if (!double.IsFinite(value))
                        throw new InvalidOperationException(
                            $"Training diverged: the loss became {value} at {prefix}epoch {epoch + 1}, step {step + 1}. Lower LearningRate " +
                            $"(now {settings.LearningRate}) or normalise the features (e.g. mlContext.Transforms.NormalizeMinMax).");
                    lossSum += value * batch.Count;
                    lossRows += batch.Count;
                    teacher.AfterStep(new StepOutcome(step, epoch, value, batch.Count));
                    step++;
                }
                if (lossRows == 0)
                    throw new InvalidOperationException("The training data produced no rows in an epoch; check the training IDataView and the validation split.");

                var summary = EpochSummaries.Measure(problem, student, epoch, lossSum / lossRows * reportScale, lr, clock.Elapsed, reportScale);
                history.Add(summary);
                log(prefix + summary);
                if (run.IsFinal && !run.IsRefit) settings.Progress?.Invoke(summary);
                teacher.AfterEpoch(summary);

                if (earlyStopping)
                {
                    // Higher is better here; settings.Validate(task) made sure the task measures this metric.
                    double metric = summary.Validation[stoppingMetric.Name] * (stoppingMetric.HigherIsBetter ? 1 : -1);
                    if (metric > bestMetric)
                    {
                        bestMetric = metric;
                        bestEpoch = epoch;
                        sinceBest = 0;
                        DisposeAll(best);
                        best = Snapshot(student);
                    }
                    else if (++sinceBest >= settings.EarlyStoppingPatience)
                    {
                        stoppedEarly = epoch < run.Epochs - 1;
                        log($"Early stopping after epoch {epoch + 1}: no {stoppingMetric.Name} improvement for {sinceBest} epochs; keeping epoch {bestEpoch + 1}.");
                        break;
                    }
                }
            }
            teacher.EndStudent(run, history[^1]);
            return new RunResult(history, best, bestEpoch, stoppedEarly);
        }
        catch
        {
            DisposeAll(best);
            throw;
        }
    }

    private static optim.Optimizer CreateOptimizer(nn.Module<Tensor, Tensor> student, TrainingSettings s) => s.Optimizer switch
    {
        OptimizerKind.Adam => optim.Adam(student.parameters(), lr: s.LearningRate, weight_decay: s.WeightDecay),
        _ => optim.SGD(student.parameters(), s.LearningRate, momentum: s.Momentum, weight_decay: s.WeightDecay),
    };

    private static Dictionary<string, Tensor> Snapshot(nn.Module<Tensor, Tensor> student)
    {
        using var noGrad = no_grad();
        return student.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());
    }

    private static void DisposeAll(Dictionary<string, Tensor>? tensors)
    {
        if (tensors is null) return;
        foreach (var t in tensors.Values) t.Dispose();
        tensors.Clear();
    }
}
