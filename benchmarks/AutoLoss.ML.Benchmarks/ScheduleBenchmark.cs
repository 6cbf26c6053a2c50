using System.Globalization;
using System.Text;
using AutoLoss;
using AutoLoss.Core.Students;
using AutoLoss.Core.Teaching;
using AutoLoss.Core.Teaching.Schedules;
using AutoLoss.ML.Datasets;
using AutoLoss.ML.Trainers;
using Microsoft.ML;
using ScottPlot;

namespace AutoLoss.ML.Benchmarks;

/// <summary>One lambda of the fixed task + lambda x L1 baseline.</summary>
internal sealed record LambdaPoint(double Lambda, double MeanMetric, double StdMetric);

/// <summary>The comparison on one generating process.</summary>
/// <param name="UntrainedMeanMetric">The ablation: the same schedule with the controller frozen at its (near-uniform)
/// initialisation, on the same seeds, so that what the learning adds is visible.</param>
/// <param name="ValidationPickedMeanMetric">The realistic baseline: for each seed, the grid's lambda with the best metric
/// on the controller's validation rows, scored on the test rows (NaN when the validation rows come from the training rows).</param>
internal sealed record ScheduleSetting(string Process, double ControllerMeanMetric, double ControllerStdMetric, double[] ControllerMetrics,
    double ControllerL1Share, double[] ControllerL1Shares, double UntrainedMeanMetric, double UntrainedStdMetric, double[] UntrainedMetrics,
    IReadOnlyList<LambdaPoint> LambdaGrid, double BestLambdaMetric, double MedianLambdaMetric,
    double ValidationPickedMeanMetric, double ValidationPickedStdMetric, double[] ValidationPickedLambdas);

/// <summary>What <c>schedule</c> writes as JSON: the issue's fields for the main process, then every process and the transfer.</summary>
internal sealed record ScheduleReport(string Task, int Seeds, string Metric, double ControllerMeanMetric, IReadOnlyList<LambdaPoint> LambdaGrid,
    double BestLambdaMetric, double MedianLambdaMetric, IReadOnlyList<ScheduleSetting> Settings, ScheduleSetting Transfer, string ControllerSettings);

/// <summary>
/// <c>schedule</c>: AutoLoss's L1 experiments. On generated sparse tasks (<see cref="SparseTasks"/>) a student is
/// trained (a) with the fixed combination task + lambda x L1 for every lambda of a grid, and (b) with a schedule
/// controller that chooses, step by step, between the task loss and the L1 penalty, learned over episodes with one
/// setting for every process. Transfer: a controller learned on the first process schedules a student on a
/// differently generated process without retraining. Metric: test MSE (regression) or test error % (classification).
/// </summary>
internal static class ScheduleBenchmark
{
    private static readonly double[] Lambdas = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3];

    /// <param name="L1Strength">The default strength s of the controller's L1 objective for this task. A step mix with
    /// a share p of L1 steps acts like task + lambda x L1 with lambda = s x p / (1 - p) at (1 - p) times the learning rate,
    /// so an untrained (uniform) controller sits at lambda = s, inside the grid. Regression 0.2: between the best lambda of
    /// noise 0.5 (0.1) and noise 1 (0.3); at 0.1 the controllers stayed near 60% L1 steps (lambda 0.3 needs 75%) and 9%
    /// above the best lambda on noise 1. Classification 0.02, since an MLP collapses to chance at lambda 0.1.</param>
    /// <param name="PairedEpisodes">ScheduleLossOptions.PairedEpisodes for this task, with
    /// <paramref name="ControllerLearningRate"/> and <paramref name="EpisodesPerUpdate"/>: classification's returns are
    /// noisy enough that comparing schedules on the same student, in larger groups, with slower learning is what lets
    /// the controller find the best lambda. Regression: groups of 16 on the same student, so that the antithetic offsets
    /// of <paramref name="EpisodeExploration"/> are compared on one student.</param>
    /// <param name="EpisodeExploration">ScheduleLossOptions.EpisodeExploration, with <paramref name="LearningChoices"/>.
    /// Regression: sigma 0.5 with balanced learning episodes. A sampled episode's final validation MSE depends as much on
    /// which steps the dice made L1 steps as on its mix (episodes of one student at 50% L1 ranged 0.32-0.41 on noise 0.5),
    /// and its mix scatters by only 3%, so step-level REINFORCE barely moved the controllers from uniform (8 seeds: noise
    /// 0.5 0.314, 5.4% above the best lambda). Classification: 0 with sampled episodes (it meets its targets that way).</param>
    /// <param name="FrozenChoices">How the frozen controller schedules the final student. Regression: Balanced (over 5
    /// seeds it halved the spread of the final test MSE that sampled schedules give); classification: Sample (Balanced was
    /// no better over 5 seeds: noise 1 1.60 against 1.43, noise 1.5 23.47 against 23.03, transfer 3.52 against 3.80).</param>
    /// <param name="EntropyBonus">ScheduleLossOptions.EntropyBonus: classification's validation loss is flat over a
    /// range of L1 shares and rises steeply past it (lambda 0.1 leaves the MLP at chance), so its controller is pulled back
    /// towards uniform choices unless the rewards favour a change (0.2). Regression: 0, since its balanced learning
    /// episodes take no step-level REINFORCE steps (with sampled episodes 0.1 had kept controllers from drifting to 75-85%
    /// L1 steps).</param>
    private sealed record TaskSetup(string Name, string Metric, MlpSpec Student, int Epochs, int TrainRows,
        SparseTasks.Process[] Processes, SparseTasks.Process TransferProcess, bool Regression, double L1Strength,
        bool PairedEpisodes, double ControllerLearningRate, int EpisodesPerUpdate, double EntropyBonus, ScheduleChoiceRendering FrozenChoices,
        double EpisodeExploration, ScheduleChoiceRendering LearningChoices);

    private static readonly Dictionary<string, TaskSetup> Setups = new(StringComparer.OrdinalIgnoreCase)
    {
        ["l1-regression"] = new("l1-regression", "test MSE", new MlpSpec { HiddenSizes = [] }, 40, 120,
            [new(48, 4, 1.0, 101), new(48, 4, 0.5, 102), new(48, 4, 2.0, 103)], new(80, 8, 1.0, 201), Regression: true, L1Strength: 0.2,
            PairedEpisodes: true, ControllerLearningRate: 0.05, EpisodesPerUpdate: 16, EntropyBonus: 0,
            FrozenChoices: ScheduleChoiceRendering.Balanced, EpisodeExploration: 0.5, LearningChoices: ScheduleChoiceRendering.Balanced),
        ["l1-classification"] = new("l1-classification", "test error %", new MlpSpec { HiddenSizes = [64] }, 40, 300,
            [new(40, 5, 1.0, 111, 3), new(40, 5, 1.5, 112, 3)], new(60, 6, 1.0, 211, 4), Regression: false, L1Strength: 0.02,
            PairedEpisodes: true, ControllerLearningRate: 0.02, EpisodesPerUpdate: 16, EntropyBonus: 0.2,
            FrozenChoices: ScheduleChoiceRendering.Sample, EpisodeExploration: 0, LearningChoices: ScheduleChoiceRendering.Sample),
    };

    private static double _l1Strength = 0.1, _discount = 1, _controllerLr = 0.05, _temperature = 2, _entropy, _exploration;
    private static bool _paired, _trace;
    private static ScheduleClassificationReward _reward;
    private static ScheduleChoiceRendering _frozenChoices, _learningChoices;
    private static int _episodes = 128, _validationRows, _rewardEvery = 10, _group = 8;

    /// <summary>The one controller setting used for every process (the paper's "regardless of lambda").</summary>
    public static ScheduleLossOptions Controller() => new()
    {
        L1Strength = _l1Strength,
        TeacherEpisodes = _episodes,
        RewardEvery = _rewardEvery,
        RewardDiscount = _discount,
        ControllerLearningRate = _controllerLr,
        Temperature = _temperature,
        EpisodesPerUpdate = _group,
        PairedEpisodes = _paired,
        ClassificationReward = _reward,
        EntropyBonus = _entropy,
        FrozenChoices = _frozenChoices,
        EpisodeExploration = _exploration,
        LearningChoices = _learningChoices,
    };

    public static int Run(CommandLine cl)
    {
        string taskName = cl.String("task", "l1-regression");
        int seeds = cl.Int("seeds", 5, min: 1);
        string outDir = cl.String("out", "benchmarks/results");
        _episodes = cl.Int("episodes", 128, min: 1);
        _discount = double.Parse(cl.String("discount", "1"), CultureInfo.InvariantCulture);
        string controllerLr = cl.String("controller-lr", "");
        _temperature = double.Parse(cl.String("temperature", "2"), CultureInfo.InvariantCulture);
        _rewardEvery = cl.Int("reward-every", 10, min: 1);
        _validationRows = cl.Int("validation-rows", -1, min: -1);
        int group = cl.Int("episodes-per-update", 0, min: 0);
        string paired = cl.String("paired", "");
        _reward = Enum.Parse<ScheduleClassificationReward>(cl.String("reward", nameof(ScheduleClassificationReward.CalibratedLogLoss)), ignoreCase: true);
        string only = cl.String("only", "");
        string l1Strength = cl.String("l1-strength", "");
        string entropy = cl.String("entropy-bonus", "");
        string learningChoices = cl.String("learning-choices", "");
        string exploration = cl.String("episode-exploration", "");
        _trace = bool.Parse(cl.String("trace", "false"));
        string frozenChoices = cl.String("frozen-choices", "");
        cl.RejectUnknown();
        if (!Setups.TryGetValue(taskName, out var setup))
            throw new UsageException($"Unknown task '{taskName}'; known: {string.Join(", ", Setups.Keys)}.");
        _l1Strength = l1Strength == "" ? setup.L1Strength : double.Parse(l1Strength, CultureInfo.InvariantCulture);
        _controllerLr = controllerLr == "" ? setup.ControllerLearningRate : double.Parse(controllerLr, CultureInfo.InvariantCulture);
        _paired = paired == "" ? setup.PairedEpisodes : bool.Parse(paired);
        _group = group == 0 ? setup.EpisodesPerUpdate : group;
        _entropy = entropy == "" ? setup.EntropyBonus : double.Parse(entropy, CultureInfo.InvariantCulture);
        _frozenChoices = frozenChoices == "" ? setup.FrozenChoices : Enum.Parse<ScheduleChoiceRendering>(frozenChoices, ignoreCase: true);
        _learningChoices = learningChoices == "" ? setup.LearningChoices : Enum.Parse<ScheduleChoiceRendering>(learningChoices, ignoreCase: true);
        _exploration = exploration == "" ? setup.EpisodeExploration : double.Parse(exploration, CultureInfo.InvariantCulture);
        if (_validationRows < 0) _validationRows = setup.TrainRows;   // default: a validation draw as large as the training set
        Directory.CreateDirectory(outDir);

        var processes = only == "" ? setup.Processes : only.Split(',').Select(i => setup.Processes[int.Parse(i, CultureInfo.InvariantCulture)]).ToArray();
        var settings = processes.Select(p => Compare(setup, p, seeds, pretrained: null)).ToList();
        // Transfer: the controller learned on the first process (seed 1) schedules the other process, frozen.
        using var learned = LearnController(setup, setup.Processes[0], seed: 1);
        var transfer = Compare(setup, setup.TransferProcess, seeds, learned);

        var main = settings[0];
        var report = new ScheduleReport(setup.Name, seeds, setup.Metric, main.ControllerMeanMetric, main.LambdaGrid, main.BestLambdaMetric, main.MedianLambdaMetric,
            settings, transfer, Controller().ToString() + $", L1Strength {_l1Strength.ToString(CultureInfo.InvariantCulture)}, RewardEvery {_rewardEvery}, " +
            $"RewardDiscount {_discount.ToString(CultureInfo.InvariantCulture)}, EpisodesPerUpdate {_group}, ControllerLearningRate {_controllerLr.ToString(CultureInfo.InvariantCulture)}, " +
            $"Temperature {_temperature.ToString(CultureInfo.InvariantCulture)}" + (_entropy > 0 ? $", EntropyBonus {_entropy.ToString(CultureInfo.InvariantCulture)}" : "") + (_paired ? ", PairedEpisodes" : ", unpaired episodes") + $", FrozenChoices {_frozenChoices}" +
            (_exploration > 0 ? $", EpisodeExploration {_exploration.ToString(CultureInfo.InvariantCulture)}, LearningChoices {_learningChoices}" : "") +
            (setup.Regression ? "" : $", ClassificationReward {_reward}"));
        string stem = Path.Combine(outDir, $"schedule-{setup.Name}");
        Report.WriteJson(stem + ".json", report);
        Plot(stem + ".png", setup, settings, transfer);
        File.WriteAllText(stem + ".md", Markdown(setup, report, seeds));
        Console.WriteLine(File.ReadAllText(stem + ".md"));
        Console.WriteLine($"Wrote {stem}.json, {stem}.md, {stem}.png");
        return 0;
    }

    private static string Describe(SparseTasks.Process p, bool regression) =>
        $"d = {p.Features}, {p.Informative} informative, noise {p.Noise.ToString(CultureInfo.InvariantCulture)}" + (regression ? "" : $", {p.Classes} classes");

    private static ScheduleSetting Compare(TaskSetup setup, SparseTasks.Process process, int seeds, ScheduleController? pretrained)
    {
        var grid = new List<LambdaPoint>();
        var gridRuns = new List<(double Metric, double ValidationMetric)[]>();   // [lambda][seed]
        foreach (double lambda in Lambdas)
        {
            var runs = Enumerable.Range(1, seeds).Select(s => Fit(setup, process, s, new L1RegularizedLossOptions { Lambda = lambda }, validation: false)).ToArray();
            gridRuns.Add(runs);
            var metrics = runs.Select(r => r.Metric).ToArray();
            grid.Add(new LambdaPoint(lambda, Stats.Mean(metrics), Stats.SampleStd(metrics)));
            Console.WriteLine($"  {setup.Name}, {Describe(process, setup.Regression)}: lambda {lambda,-6} {setup.Metric} {grid[^1].MeanMetric:G4} ± {grid[^1].StdMetric:G3}");
        }
        var controllerMetrics = new List<double>();
        var shares = new List<double>();
        for (int s = 1; s <= seeds; s++)
        {
            var options = pretrained is null ? Controller() : Frozen(pretrained);
            double share = 0;
            options.EpisodeCompleted += r =>
            {
                if (r.IsFinal) share = r.ChoiceShares[1];
                if (_trace) Console.WriteLine($"    seed {s} {(r.IsFinal ? "final" : $"episode {r.Episode + 1}")}: validation {r.ValidationLoss:G4}, L1 steps {r.ChoiceShares[1]:P1}");
            };
            controllerMetrics.Add(Fit(setup, process, s, options, validation: true).Metric);
            shares.Add(share);
        }
        var untrained = new List<double>();
        for (int s = 1; s <= seeds; s++)
        {
            using var initial = UntrainedController(s);
            untrained.Add(Fit(setup, process, s, Frozen(initial), validation: true).Metric);
        }
        var sorted = grid.Select(g => g.MeanMetric).OrderBy(v => v).ToArray();
        double median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        // Without separate validation rows (--validation-rows 0) there is nothing to pick on: NaN.
        var picked = Enumerable.Range(0, seeds).Select(s => Enumerable.Range(0, Lambdas.Length).MinBy(l => gridRuns[l][s].ValidationMetric)).ToArray();
        var pickedMetrics = picked.Select((l, s) => _validationRows > 0 ? gridRuns[l][s].Metric : double.NaN).ToArray();
        var setting = new ScheduleSetting(Describe(process, setup.Regression), Stats.Mean(controllerMetrics), Stats.SampleStd(controllerMetrics), [.. controllerMetrics],
            Stats.Mean(shares), [.. shares], Stats.Mean(untrained), Stats.SampleStd(untrained), [.. untrained], grid, sorted[0], median,
            Stats.Mean(pickedMetrics), Stats.SampleStd(pickedMetrics), [.. picked.Select(l => Lambdas[l])]);
        Console.WriteLine($"  {setup.Name}, {setting.Process}: controller{(pretrained is null ? "" : " (transferred)")} {setup.Metric} {setting.ControllerMeanMetric:G4} ± {setting.ControllerStdMetric:G3} " +
                          $"(L1 steps {setting.ControllerL1Share:P1}); lambda picked on validation {setting.ValidationPickedMeanMetric:G4}; untrained controller {setting.UntrainedMeanMetric:G4} ± {setting.UntrainedStdMetric:G3}; best lambda {setting.BestLambdaMetric:G4}, median {setting.MedianLambdaMetric:G4}");
        return setting;
    }

    /// <summary>The learning setting with <paramref name="controller"/> applied frozen: the same objectives, RewardEvery (the
    /// cadence of s_t's validation entry and choice shares), validation measure and choice rendering it learned with.</summary>
    private static ScheduleLossOptions Frozen(ScheduleController controller)
    {
        var options = Controller();
        options.PretrainedController = controller;
        return options;
    }

    /// <summary>A freshly initialised controller (TorchSharp seeded with <paramref name="seed"/>), named like the learned one (caller disposes).</summary>
    private static ScheduleController UntrainedController(int seed)
    {
        TorchSharp.torch.random.manual_seed(seed);
        return Controller().CreateController();
    }

    /// <summary>Learns a controller on <paramref name="process"/> with seed <paramref name="seed"/> and returns it (caller disposes).</summary>
    private static ScheduleController LearnController(TaskSetup setup, SparseTasks.Process process, int seed)
    {
        var options = Controller();
        ScheduleController? learned = null;   // a copy: the fitted model owns (and disposes) its own
        options.ControllerTrained += c => learned = c.Clone();
        Fit(setup, process, seed, options, validation: true);
        return learned ?? throw new InvalidOperationException("The schedule run did not hand back its controller.");
    }

    /// <summary>Trains on the process's training rows (row seed 1) and scores 2,000 test rows (row seed 2) and the
    /// validation rows (row seed 3; NaN when they are carved from the training rows). With <paramref name="validation"/>
    /// the run hands the validation rows to the controller (or, with --validation-rows 0, holds out 20% of the training
    /// rows and refits on all).</summary>
    private static (double Metric, double ValidationMetric) Fit(TaskSetup setup, SparseTasks.Process process, int seed, LossOptions loss, bool validation)
    {
        var ml = new MLContext(seed: seed);
        if (setup.Regression)
        {
            var train = SparseTasks.LinearRegression(ml, process, setup.TrainRows, rowSeed: 1);
            var test = SparseTasks.LinearRegression(ml, process, 2000, rowSeed: 2);
            // Creating a data view draws from the MLContext's random (ML.NET registers a child host), which seeds the
            // student: the grid's runs create the validation rows only after training, so its students stay the same.
            IDataView? ValidationRows() => _validationRows > 0 ? SparseTasks.LinearRegression(ml, process, _validationRows, rowSeed: 3) : null;
            var heldOut = validation ? ValidationRows() : null;
            var model = ml.Regression.Trainers.AdaptiveLoss(new AdaptiveLossRegressionTrainer.Options
            {
                Student = setup.Student,
                Loss = loss,
                NumberOfEpochs = setup.Epochs,
                BatchSize = 16,
                LearningRate = 0.01,
                ValidationFraction = validation && heldOut is null ? 0.2 : 0,
                RefitOnAllData = validation && heldOut is null,
                ValidationData = heldOut,
                Device = AutoLoss.ComputeDevice.Cpu,
            }).Fit(train);
            using (model)
            {
                double testMse = ml.Regression.Evaluate(model.Transform(test)).MeanSquaredError;
                var scored = heldOut ?? ValidationRows();
                return (testMse, scored is null ? double.NaN : ml.Regression.Evaluate(model.Transform(scored)).MeanSquaredError);
            }
        }
        var trainC = SparseTasks.Classification(ml, process, setup.TrainRows, rowSeed: 1);
        var testC = SparseTasks.Classification(ml, process, 2000, rowSeed: 2);
        IDataView? ValidationRowsC() => _validationRows > 0 ? SparseTasks.Classification(ml, process, _validationRows, rowSeed: 3) : null;
        var heldOutC = validation ? ValidationRowsC() : null;
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label").Append(ml.MulticlassClassification.Trainers.AdaptiveLoss(new AdaptiveLossMulticlassTrainer.Options
        {
            Student = setup.Student,
            Loss = loss,
            NumberOfEpochs = setup.Epochs,
            BatchSize = 16,
            LearningRate = 0.01,
            ValidationFraction = validation && heldOutC is null ? 0.2 : 0,
            RefitOnAllData = validation && heldOutC is null,
            ValidationData = heldOutC is not null ? ml.Transforms.Conversion.MapValueToKey("Label").Fit(trainC).Transform(heldOutC) : null,
            Device = AutoLoss.ComputeDevice.Cpu,
        }));
        var fitted = pipeline.Fit(trainC);
        try
        {
            double Error(IDataView rows) => 100 * (1 - ml.MulticlassClassification.Evaluate(fitted.Transform(rows)).MicroAccuracy);
            double testError = Error(testC);
            var scored = heldOutC ?? ValidationRowsC();
            return (testError, scored is null ? double.NaN : Error(scored));
        }
        finally
        {
            AccuracyBenchmark.DisposeModel(fitted);
        }
    }

    private static void Plot(string path, TaskSetup setup, IReadOnlyList<ScheduleSetting> settings, ScheduleSetting transfer)
    {
        var all = settings.Append(transfer).ToList();
        var multi = new Multiplot();
        multi.AddPlots(all.Count);
        for (int i = 0; i < all.Count; i++)
        {
            var s = all[i];
            var plot = multi.GetPlot(i);
            // lambda = 0 sits one decade left of the smallest positive lambda on the log axis.
            double[] xs = s.LambdaGrid.Select(g => Math.Log10(g.Lambda > 0 ? g.Lambda : Lambdas.Where(l => l > 0).Min() / 10)).ToArray();
            var grid = plot.Add.Scatter(xs, s.LambdaGrid.Select(g => g.MeanMetric).ToArray());
            grid.LegendText = "task + lambda x L1 (fixed)";
            var line = plot.Add.HorizontalLine(s.ControllerMeanMetric);
            line.LegendText = i == all.Count - 1 ? "controller (transferred, frozen)" : "AutoLoss controller";
            line.LinePattern = LinePattern.Dashed;
            plot.XLabel("log10 lambda (leftmost point: lambda = 0)");
            plot.YLabel(setup.Metric);
            plot.Title((i == all.Count - 1 ? "transfer: " : "") + s.Process);
            plot.ShowLegend(Alignment.UpperLeft);
        }
        multi.SavePng(path, 800, 320 * all.Count);
    }

    private static string Markdown(TaskSetup setup, ScheduleReport r, int seeds)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine($"# AutoLoss schedule vs. fixed task + lambda x L1: `{setup.Name}`");
        sb.AppendLine();
        sb.AppendLine($"Student MLP {(setup.Student.HiddenSizes.Length == 0 ? "(linear)" : string.Join("-", setup.Student.HiddenSizes))}, SGD lr 0.01 momentum 0.9, batch 16, {setup.Epochs} epochs, " +
                      $"{setup.TrainRows} training rows, 2,000 test rows per process; {seeds} seeds (student initialisation and batch order). " +
                      $"The lambda grid and the controller's final student train on the same training rows; the grid's best and median lambda are picked on the test rows (an oracle). " +
                      $"The controller ({r.ControllerSettings}) is rewarded on " +
                      (_validationRows > 0
                          ? $"{_validationRows} validation rows drawn from the same process (the rows a user would hold out to pick lambda), learns over its episodes, then schedules the final student, frozen."
                          : "20% of the training rows held out, learns over its episodes, then `RefitOnAllData` trains the returned student on all rows with the controller frozen.") +
                      " One controller setting for every process. Untrained controller: the same schedule with the controller frozen at its initialisation (uniform or near-uniform choices), " +
                      "the ablation that shows what learning the schedule adds. The transfer applies the frozen controller over the same objectives (the same L1 strength).");
        sb.AppendLine();
        var table = Report.Table(["process", $"controller {setup.Metric}", "L1 steps", "untrained controller", "lambda picked on validation", "best lambda", "median lambda", "within 5% of best", "better than median"],
            r.Settings.Append(r.Transfer).Select((s, i) => (IReadOnlyList<string>)[
                (i == r.Settings.Count ? "transfer (frozen controller from the first process, seed 1): " : "") + s.Process,
                $"{s.ControllerMeanMetric.ToString("G4", inv)} ± {s.ControllerStdMetric.ToString("G3", inv)}",
                s.ControllerL1Share.ToString("P1", inv),
                $"{s.UntrainedMeanMetric.ToString("G4", inv)} ± {s.UntrainedStdMetric.ToString("G3", inv)}",
                $"{s.ValidationPickedMeanMetric.ToString("G4", inv)} ± {s.ValidationPickedStdMetric.ToString("G3", inv)}",
                s.BestLambdaMetric.ToString("G4", inv), s.MedianLambdaMetric.ToString("G4", inv),
                s.ControllerMeanMetric <= 1.05 * s.BestLambdaMetric ? "yes" : "no",
                s.ControllerMeanMetric < s.MedianLambdaMetric ? "yes" : "no"]), "lrrrrrrll");
        sb.Append(table);
        sb.AppendLine();
        sb.AppendLine("Lambda grid (mean ± std over seeds):");
        sb.AppendLine();
        sb.Append(Report.Table(["process", .. Lambdas.Select(l => $"lambda {l.ToString(inv)}")],
            r.Settings.Append(r.Transfer).Select(s => (IReadOnlyList<string>)[s.Process, .. s.LambdaGrid.Select(g => $"{g.MeanMetric.ToString("G4", inv)} ± {g.StdMetric.ToString("G2", inv)}")]),
            "l" + new string('r', Lambdas.Length)));
        sb.AppendLine();
        sb.AppendLine($"![metric vs lambda](schedule-{setup.Name}.png)");
        sb.AppendLine();
        sb.AppendLine(Report.Environment().Markdown());
        sb.AppendLine();
        sb.AppendLine($"Reproduce: `dotnet run -c Release --project benchmarks/AutoLoss.ML.Benchmarks -- schedule --task {setup.Name} --seeds {seeds} --l1-strength {_l1Strength.ToString(CultureInfo.InvariantCulture)} --episodes {_episodes} --episodes-per-update {_group} --controller-lr {_controllerLr.ToString(CultureInfo.InvariantCulture)} --validation-rows {_validationRows}" + $" --paired {(_paired ? "true" : "false")}" + (_entropy > 0 ? $" --entropy-bonus {_entropy.ToString(CultureInfo.InvariantCulture)}" : "") + $" --frozen-choices {_frozenChoices}" +
                      (_exploration > 0 ? $" --episode-exploration {_exploration.ToString(CultureInfo.InvariantCulture)} --learning-choices {_learningChoices}" : "") + (setup.Regression ? "" : $" --reward {_reward}") +
                      (BenchmarkOptions.TorchThreads > 0 ? $" --threads {BenchmarkOptions.TorchThreads}" : "") + " --out benchmarks/results`");
        return sb.ToString();
    }
}
