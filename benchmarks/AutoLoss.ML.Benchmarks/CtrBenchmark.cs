using System.Diagnostics;
using System.Globalization;
using System.Text;
using AutoLoss;
using AutoLoss.ML.Trainers;
using Microsoft.ML;
using Microsoft.ML.Data;
using ScottPlot;

namespace AutoLoss.ML.Benchmarks;

/// <summary>One method's test metrics over seeds on one click process.</summary>
internal sealed record CtrResult(string Process, string Method, double[] Auc, double[] LogLoss, double[] FitSeconds, double[] HardAuc, double[] EasyAuc);

/// <summary>
/// <c>ctr</c>: click prediction on generated click logs (<see cref="ClickData"/>). A DeepFM student trained with each
/// single candidate loss of <see cref="LossMixingOptions"/>, their fixed uniform mix and the learned per-example mixer,
/// against ML.NET's FieldAwareFactorizationMachine and LightGbm on the same rows; then transfer: the controller learned
/// on the first process (seed 1's run), frozen, trains students of a second process. AUC and log-loss on the test rows,
/// seeds s = 1..N each with <c>new MLContext(seed: s)</c>.
/// </summary>
internal static class CtrBenchmark
{
    private sealed record Settings(int Epochs, int BatchSize, double LearningRate, double WeightDecay);

    private static readonly Dictionary<string, Func<LossOptions>> Losses = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ce"] = LossOptions.CrossEntropy,
        ["focal"] = () => LossOptions.PerExample(() => new FocalLoss(2)),
        ["squared"] = () => LossOptions.PerExample(() => ProbabilitySquaredErrorLoss.Instance),
        ["hinge"] = () => LossOptions.PerExample(() => new MarginHingeLoss(1)),
        ["uniform-mix"] = () => new LossMixingOptions().UniformMixture(),
        ["mixer"] = () => new LossMixingOptions(),
    };

    public static int Run(CommandLine cl)
    {
        int trainRows = cl.Int("rows", 200_000, min: 1000), validationRows = cl.Int("validation-rows", 20_000, min: 100), testRows = cl.Int("test-rows", 50_000, min: 100);
        int seeds = cl.Int("seeds", 5, min: 1), processSeed = cl.Int("process", 1), transferSeed = cl.Int("transfer-process", 2);
        var settings = new Settings(cl.Int("epochs", 3, min: 1), cl.Int("batch-size", 512, min: 1), cl.Double("learning-rate", 0.003), cl.Double("weight-decay", 1e-4));
        var methods = cl.String("methods", "ce,focal,squared,hinge,uniform-mix,mixer,ffm,lightgbm").Split(',', StringSplitOptions.RemoveEmptyEntries);
        string outDir = cl.String("out", "benchmarks/results");
        // Choosing the training budget: score on the validation rows of the first process only, never the test rows.
        bool onValidation = cl.Has("on-validation");
        cl.RejectUnknown();
        foreach (var m in methods)
            if (!Losses.ContainsKey(m) && m is not ("ffm" or "lightgbm"))
                throw new UsageException($"ctr: unknown method '{m}' ({string.Join(", ", Losses.Keys)}, ffm, lightgbm).");
        Directory.CreateDirectory(outDir);

        var results = new List<CtrResult>();
        var data = new CtrFeatures(new MLContext(0), new ClickProcess(processSeed), trainRows, validationRows, testRows);
        LossMixerController? learned = null;
        foreach (var method in methods)
            results.Add(Measure(data, $"process {processSeed}", method, seeds, settings, controller => learned ??= controller.Clone(), onValidation: onValidation));
        if (onValidation)
        {
            foreach (var r in results)
                Console.WriteLine($"validation AUC, {r.Method}, {settings}: {Stats.Mean(r.Auc):F2} ± {Stats.SampleStd(r.Auc):F2}");
            learned?.Dispose();
            return 0;
        }

        // Transfer: the first process's controller (seed 1), frozen, against cross-entropy, the uniform mix and a controller
        // learned on the new process itself.
        var other = new CtrFeatures(new MLContext(0), new ClickProcess(transferSeed), trainRows, validationRows, testRows);
        string name = $"process {transferSeed}";
        foreach (var method in new[] { "ce", "uniform-mix", "mixer" }.Where(methods.Contains))
            results.Add(Measure(other, name, method, seeds, settings, null));
        if (learned is not null)
            results.Add(Measure(other, name, "mixer (frozen, from process " + processSeed + ")", seeds, settings, null,
                () => new LossMixingOptions { PretrainedController = learned }));
        learned?.Save(Path.Combine(outDir, "ctr-controller.bin"));

        Report.WriteJson(Path.Combine(outDir, "ctr.json"), new { trainRows, validationRows, testRows, settings, results,
            bayesAuc = new[] { Auc(data.BayesProbabilities, Labels(data.Test)), Auc(other.BayesProbabilities, Labels(other.Test)) } });
        Plot(Path.Combine(outDir, "ctr.png"), results);
        string command = $"ctr --rows {trainRows} --validation-rows {validationRows} --test-rows {testRows} --seeds {seeds} --epochs {settings.Epochs} " +
                         $"--batch-size {settings.BatchSize} --learning-rate {settings.LearningRate.ToString(CultureInfo.InvariantCulture)} --weight-decay {settings.WeightDecay.ToString(CultureInfo.InvariantCulture)} --process {processSeed} " +
                         $"--transfer-process {transferSeed} --methods {string.Join(",", methods)} --out {outDir}";
        string md = Markdown(results, data, other, settings, seeds, command);
        File.WriteAllText(Path.Combine(outDir, "ctr.md"), md);
        Console.WriteLine(md);
        learned?.Dispose();
        return 0;
    }

    private static CtrResult Measure(CtrFeatures data, string process, string method, int seeds, Settings settings,
        Action<LossMixerController>? onController, Func<LossOptions>? loss = null, bool onValidation = false)
    {
        var (rawScored, scoredRows) = onValidation ? (data.RawValidation, data.Validation) : (data.RawTest, data.Test);
        var auc = new List<double>();
        var logLoss = new List<double>();
        var seconds = new List<double>();
        var hardAuc = new List<double>();
        var easyAuc = new List<double>();
        var hard = rawScored.GetColumn<bool>(ClickData.HardColumn).ToArray();
        var labels = Labels(rawScored);
        for (int s = 1; s <= seeds; s++)
        {
            var ml = new MLContext(seed: s);
            var clock = Stopwatch.StartNew();
            bool raw = method is "ffm" or "lightgbm";
            var model = Estimator(ml, data, method, settings, s == 1 ? onController : null, loss).Fit(raw ? data.RawTrain : data.Train);
            seconds.Add(clock.Elapsed.TotalSeconds);
            try
            {
                var scored = model.Transform(raw ? rawScored : scoredRows);
                var metrics = ml.BinaryClassification.Evaluate(scored);
                auc.Add(100 * metrics.AreaUnderRocCurve);
                logLoss.Add(metrics.LogLoss);
                var probability = scored.GetColumn<float>("Probability").Select(p => (double)p).ToArray();
                hardAuc.Add(Subset(probability, labels, hard, true));
                easyAuc.Add(Subset(probability, labels, hard, false));
            }
            finally
            {
                (model as IDisposable)?.Dispose();
            }
            Console.WriteLine($"  {process}, {method}, seed {s}: AUC {auc[^1]:F2}%, log-loss {logLoss[^1]:F4}, fit {seconds[^1]:F1} s");
        }
        return new CtrResult(process, method, [.. auc], [.. logLoss], [.. seconds], [.. hardAuc], [.. easyAuc]);
    }

    /// <summary>AUC over the test rows whose Hard flag is <paramref name="which"/>.</summary>
    private static double Subset(double[] scores, bool[] labels, bool[] hard, bool which)
    {
        var rows = Enumerable.Range(0, scores.Length).Where(i => hard[i] == which).ToArray();
        return Auc(rows.Select(i => scores[i]).ToArray(), rows.Select(i => labels[i]).ToArray());
    }

    private static IEstimator<ITransformer> Estimator(MLContext ml, CtrFeatures data, string method, Settings settings,
        Action<LossMixerController>? onController, Func<LossOptions>? loss)
    {
        var oneHot = data.Fields.Select(f => new InputOutputColumnPair(f + "_onehot", f)).ToArray();
        switch (method)
        {
            case "ffm":
                return ml.Transforms.Categorical.OneHotEncoding(oneHot)
                    .Append(ml.BinaryClassification.Trainers.FieldAwareFactorizationMachine(oneHot.Select(p => p.OutputColumnName).ToArray()));
            case "lightgbm":
                return ml.Transforms.Categorical.OneHotEncoding(oneHot)
                    .Append(ml.Transforms.Concatenate("OneHot", oneHot.Select(p => p.OutputColumnName).ToArray()))
                    .Append(ml.BinaryClassification.Trainers.LightGbm(featureColumnName: "OneHot"));
        }
        var options = loss?.Invoke() ?? Losses[method]();
        if (options is LossMixingOptions mixing && onController is not null) mixing.ControllerTrained += onController;
        return ml.BinaryClassification.Trainers.AdaptiveLoss(new AdaptiveLossBinaryTrainer.Options
        {
            Student = data.Student(),
            Loss = options,
            NumberOfEpochs = settings.Epochs,
            BatchSize = settings.BatchSize,
            Optimizer = OptimizerKind.Adam,
            LearningRate = settings.LearningRate,
            WeightDecay = settings.WeightDecay,
            ValidationData = options.RequiresValidationData ? data.Validation : null,
            Device = ComputeDevice.Cpu,
        });
    }

    private static bool[] Labels(IDataView view) => view.GetColumn<bool>("Label").ToArray();

    /// <summary>Area under the ROC curve (the Mann-Whitney statistic, ties counted half).</summary>
    internal static double Auc(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        double rankSum = 0;
        long positives = 0;
        for (int i = 0; i < order.Length;)
        {
            int j = i;
            while (j < order.Length && scores[order[j]] == scores[order[i]]) j++;
            double rank = (i + j + 1) / 2.0;
            for (int k = i; k < j; k++)
                if (labels[order[k]]) { rankSum += rank; positives++; }
            i = j;
        }
        long negatives = scores.Count - positives;
        return 100 * (rankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    private static void Plot(string path, IReadOnlyList<CtrResult> results)
    {
        var plot = new Plot();
        for (int i = 0; i < results.Count; i++)
        {
            var bar = plot.Add.Bar(i, Stats.Mean(results[i].Auc));
            bar.Bars[0].Error = Stats.SampleStd(results[i].Auc);
        }
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, results.Count).Select(i => (double)i).ToArray(),
            results.Select(r => $"{r.Method}\n{r.Process}").ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        double low = results.Min(r => Stats.Mean(r.Auc)) - 1, high = results.Max(r => Stats.Mean(r.Auc)) + 1;
        plot.Axes.SetLimitsY(low, high);
        plot.YLabel("test AUC % (mean ± std over seeds)");
        plot.Title("Click prediction on generated click logs");
        plot.SavePng(path, 1000, 600);
    }

    private static string Markdown(List<CtrResult> results, CtrFeatures first, CtrFeatures second, Settings settings, int seeds, string command)
    {
        var inv = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine("# Click prediction with per-example loss mixing (generated click logs)");
        md.AppendLine();
        md.AppendLine($"Rows of two `ClickProcess`es (default fields: {string.Join(", ", first.Fields)}; {100 * first.Process.NoiseRate:F0}% noisy clicks, about {100 * first.Process.HardFraction:F0}% hard rows): " +
                      $"{first.Train.GetRowCount():N0} training, {first.Validation.GetRowCount():N0} validation (used only by the learned mixer's controller) " +
                      $"and {first.Test.GetRowCount():N0} test rows each. AdaptiveLoss methods train `{first.Student()}` for {settings.Epochs} epochs " +
                      $"(Adam, learning rate {settings.LearningRate.ToString(inv)}, weight decay {settings.WeightDecay.ToString(inv)}, batch {settings.BatchSize}; chosen for cross-entropy on the first process's validation rows with `--on-validation`) on the fields' key values; `ffm` and `lightgbm` are " +
                      "ML.NET's FieldAwareFactorizationMachine and LightGbm with default settings on the one-hot fields. Seeds 1-" + seeds + ".");
        md.AppendLine();
        md.AppendLine("Hard rows click by a third-order term of three fields, which pairwise models learn slowly; easy rows by first-order and pairwise terms.");
        md.AppendLine();
        md.AppendLine($"Bayes ceiling (the true click probabilities): AUC {Auc(first.BayesProbabilities, Labels(first.Test)):F2}% on {results[0].Process}, " +
                      $"{Auc(second.BayesProbabilities, Labels(second.Test)):F2}% on the transfer process.");
        md.AppendLine();
        md.Append(Report.Table(["process", "method", "test AUC % (mean ± std)", "test log-loss (mean ± std)", "AUC % hard rows", "AUC % easy rows", "per-seed AUC", "mean fit s"],
            results.Select(r => (IReadOnlyList<string>)[r.Process, r.Method, $"{Stats.Mean(r.Auc):F2} ± {Stats.SampleStd(r.Auc):F2}",
                $"{Stats.Mean(r.LogLoss):F4} ± {Stats.SampleStd(r.LogLoss):F4}", $"{Stats.Mean(r.HardAuc):F2} ± {Stats.SampleStd(r.HardAuc):F2}",
                $"{Stats.Mean(r.EasyAuc):F2} ± {Stats.SampleStd(r.EasyAuc):F2}", string.Join(", ", r.Auc.Select(a => a.ToString("F2", inv))),
                Stats.Mean(r.FitSeconds).ToString("F1", inv)]), "llrrrrlr"));
        md.AppendLine();
        md.AppendLine("Methods: `ce`, `focal` (gamma 2), `squared` (squared error on the probabilities), `hinge` (margin 1): one candidate loss; " +
                      "`uniform-mix`: the four with weights 1/4 (the untrained controller's mix); `mixer`: `LossMixingOptions` defaults " +
                      "(first-order bi-level updates every step, tau 1 -> 0.2); `mixer (frozen, ...)`: the controller learned with seed 1 on the first process, reused frozen.");
        md.AppendLine();
        md.AppendLine(Report.Environment().Markdown());
        md.AppendLine();
        md.AppendLine($"Reproduce: `dotnet run -c Release --project benchmarks/AutoLoss.ML.Benchmarks -- {command}`");
        return md.ToString();
    }
}
