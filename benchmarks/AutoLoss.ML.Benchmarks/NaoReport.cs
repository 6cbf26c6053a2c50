using System.Globalization;
using System.Text;
using AutoLoss.Core.Search;

namespace AutoLoss.ML.Benchmarks;

/// <summary>One student of the <c>nao</c> benchmark fully trained over seeds: its test errors (%) and the mean wall time
/// of one fit.</summary>
internal sealed record FullyTrained(string Name, StudentSpec Spec, long Parameters, List<double> Errors, double SecondsPerFit);

/// <summary>What the <c>nao</c> benchmark measured, written as JSON, Markdown and a best-so-far plot.</summary>
internal sealed record NaoReport(string Task, string Space, int SearchTrainRows, int SearchValidationRows, int Trials, int SeedArchitectures,
    int Rounds, int PerRound, int ProxyEpochs, long Limit, double Pairwise, double NaoSeconds, double RandomSeconds,
    List<FullyTrained> Full, int Seeds, int Epochs, int Seed, string OutDir)
{
    /// <summary>The spec's text, with the block separators a Markdown table would read as cell borders replaced.</summary>
    public static string Describe(StudentSpec spec) => spec.ToString().Replace(" | ", " / ", StringComparison.Ordinal);

    /// <summary>The wall time of one fit of the default student (the first row), the unit of search cost.</summary>
    private double DefaultFitSeconds => Full[0].SecondsPerFit;

    /// <summary>Writes <c>stem.json</c>, <c>stem.md</c> and <c>stem.png</c>.</summary>
    public void Write(string stem, SearchResult<int[]> nao, SearchResult<int[]> random)
    {
        Plot(stem + ".png", nao, random);
        Report.WriteJson(stem + ".json", new
        {
            Task, Space, SearchTrainRows, SearchValidationRows, Trials, SeedArchitectures, Rounds, PerRound, ProxyEpochs, Limit, Pairwise,
            NaoSeconds, RandomSeconds, DefaultFitSeconds,
            full = Full.Select(f => new { f.Name, spec = Describe(f.Spec), f.Parameters, meanError = Stats.Mean(f.Errors), std = Stats.SampleStd(f.Errors), errors = f.Errors, f.SecondsPerFit }),
            naoBestValidation = nao.Best!.Result.MetricValue, randomBestValidation = random.Best!.Result.MetricValue,
            naoCurve = BestSoFar(nao), randomCurve = BestSoFar(random),
        });
        File.WriteAllText(stem + ".md", Markdown(nao, random));
    }

    private static double[] BestSoFar(SearchResult<int[]> result)
    {
        double best = double.NegativeInfinity;
        return result.Trials.Select(t => best = Math.Max(best, double.IsFinite(t.Result.MetricValue) ? t.Result.MetricValue : best)).Select(v => 100 * (1 - v)).ToArray();
    }

    private void Plot(string path, SearchResult<int[]> nao, SearchResult<int[]> random)
    {
        static double[] Counts(int n) => Enumerable.Range(1, n).Select(i => (double)i).ToArray();
        Plots.Curves(path, $"NAO vs random search, {Task} ({Space.ToUpperInvariant()} space)", "evaluated architectures", "best validation error so far (%)",
            ("NAO", Counts(nao.Trials.Count), BestSoFar(nao)), ("random search", Counts(random.Trials.Count), BestSoFar(random)));
    }

    private string Markdown(SearchResult<int[]> nao, SearchResult<int[]> random)
    {
        var inv = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine($"# NAO on the {Space.ToUpperInvariant()} space ({Task})");
        md.AppendLine();
        md.AppendLine($"Each search evaluated {Trials} architectures ({SeedArchitectures} random seeds, then {Rounds} rounds of {PerRound}; random search the same number), " +
                      $"each trained {ProxyEpochs} epochs on {SearchTrainRows:N0} training rows and scored on {SearchValidationRows:N0} other training rows, under a limit of {Limit:N0} parameters (the default student's). " +
                      (Space == "cnn" ? "Space: 1-3 convolution blocks of 8-64 channels (3x3 or 5x5, same padding), no/max/average pooling, batch norm, residual; head none/64/128; ReLU/GELU."
                                      : "Space: 0-4 hidden layers of 16-512 units, ReLU/Tanh/GELU/LeakyReLU, dropout 0-0.3."));
        md.AppendLine();
        md.AppendLine($"Predictor pairwise accuracy on NAO's last 30% of evaluated architectures, controller trained on the first 70%: **{100 * Pairwise:F1}%** (target >= 78%).");
        md.AppendLine();
        md.AppendLine($"Best validation accuracy: NAO {100 * nao.Best!.Result.MetricValue:F2}%, random search {100 * random.Best!.Result.MetricValue:F2}%.");
        md.AppendLine();
        md.AppendLine($"Search cost: NAO {NaoSeconds:F0} s, random search {RandomSeconds:F0} s; one fit of the default student ({Epochs} epochs) takes {DefaultFitSeconds:F1} s, " +
                      $"so NAO cost {NaoSeconds / DefaultFitSeconds:F1} default fits and random search {RandomSeconds / DefaultFitSeconds:F1}.");
        md.AppendLine();
        md.AppendLine($"Fully trained ({Epochs} epochs, SGD lr 0.1, cross-entropy), test error on the task's fixed test rows, seeds 1-{Seeds}:");
        md.AppendLine();
        md.Append(Report.Table(["student", "architecture", "parameters", "test error % (mean ± std)", "per seed"],
            Full.Select(f => (IReadOnlyList<string>)[f.Name, Describe(f.Spec), f.Parameters.ToString("N0", inv),
                $"{Stats.Mean(f.Errors):F2} ± {Stats.SampleStd(f.Errors):F2}", string.Join(", ", f.Errors.Select(e => e.ToString("F2", inv)))]), "llrrl"));
        md.AppendLine();
        md.AppendLine(Report.Environment().Markdown());
        md.AppendLine();
        md.AppendLine($"Reproduce: `dotnet run -c Release --project benchmarks/AutoLoss.ML.Benchmarks -- nao --task {Task} --space {Space} --trials {Trials} --seed-architectures {SeedArchitectures} " +
                      $"--proxy-epochs {ProxyEpochs} --seeds {Seeds} --epochs {Epochs} --seed {Seed} --out {OutDir}`");
        return md.ToString();
    }
}
