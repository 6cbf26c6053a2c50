using System.Globalization;
using System.Text;
using AutoLoss;
using AutoLoss.Core.Search;
using AutoLoss.Core.Search.LossEvolution;

namespace AutoLoss.ML.Benchmarks;

/// <summary>
/// <c>loss-search</c>: searches a loss on proxy tasks cut from the digits' training rows (<see cref="LossSearchTasks"/>:
/// clean and 40% noise, fitness = mean validation accuracy) and writes the searched loss (JSON artefact), a Markdown
/// report and a PNG of the fitness per generation. The test rows are never seen; the accuracy command then reports
/// the frozen loss on them (methods <c>autoloss-zero</c>, <c>taylor</c>).
/// </summary>
internal static class LossSearchBenchmark
{
    public const int DefaultProxyEpochs = 10;

    public static int Run(CommandLine cl)
    {
        if (cl.Has("check")) return LossProxyCheck.Run(cl);
        string method = cl.String("method", "autoloss-zero");
        int population = cl.Int("population", 20, min: 2);
        int generations = cl.Int("generations", 8, min: 1);
        int epochs = cl.Int("proxy-epochs", DefaultProxyEpochs, min: 1);
        int seed = cl.Int("seed", 1);
        int concurrent = cl.Int("concurrent", 1, min: 1);
        string outDir = cl.String("out", "benchmarks/results");
        cl.RejectUnknown();
        Directory.CreateDirectory(outDir);

        LossSearchMethod search = method switch
        {
            "autoloss-zero" => new AutoLossZeroSearch { Evolution = new ExpressionEvolutionOptions { PopulationSize = population, Generations = generations } },
            "taylor" => new TaylorLossSearch { CmaEs = TaylorLossSearch.DefaultOptions(generations, population) },
            _ => throw new UsageException($"loss-search: unknown --method '{method}' (autoloss-zero, taylor)."),
        };
        var tasks = LossSearchTasks.DigitsProxies(epochs);
        try
        {
            // Rounds of 4 let two trials at a time fill a round; a CMA-ES round ends with its generation anyway.
            var runner = new SearchRunnerOptions { Seed = seed, TrialsPerRound = method == "taylor" ? population : 4, Budget = new SearchBudget { MaxTrials = 100_000, MaxConcurrentTrials = concurrent } };
            var progress = new Progress<LossSearchTrial>(t => Console.WriteLine($"trial {t.Id,4}: {100 * t.Fitness,6:F2}% {t.Duration.TotalSeconds,5:F1} s  {t.Candidate}"));
            var searched = search.SearchAsync(tasks, runner, progress).GetAwaiter().GetResult();
            string stem = Path.Combine(outDir, $"loss-search-{method}");
            searched.Save(stem + ".json");
            Plot(stem + ".png", searched);
            File.WriteAllText(stem + ".md", Markdown(searched, method, population, generations, epochs, seed, concurrent, outDir));
            Console.WriteLine($"best: {searched.Expression} ({100 * searched.Fitness:F2}%); wrote {stem}.json, .md, .png");
            return 0;
        }
        finally
        {
            LossSearchTasks.Dispose(tasks);
        }
    }

    private static string Markdown(SearchedLoss s, string method, int population, int generations, int epochs, int seed, int concurrent, string outDir)
    {
        var inv = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine($"# Loss search: {s.Method}");
        md.AppendLine();
        md.AppendLine($"Best loss: `{s.Expression}` (fitness {100 * s.Fitness:F2}% mean validation accuracy over the proxy tasks).");
        md.AppendLine();
        md.AppendLine($"Proxy tasks, cut from the digits' 8,000 training rows only (6,000 search-training, 2,000 search-validation rows; the 2,000 test rows are never seen): " +
                      $"clean labels, and 40% symmetric noise on both parts. Each candidate trains MLP(500,300) for {epochs} epochs (SGD lr 0.1, momentum 0.9, batch 100) on each; " +
                      "its fitness is the mean final validation accuracy.");
        md.AppendLine();
        md.AppendLine("Settings: " + string.Join(", ", s.Settings.Select(p => $"{p.Key} {p.Value}")) + ".");
        md.AppendLine();
        md.AppendLine("Cost:");
        md.AppendLine();
        md.Append(Report.Table(["what", "value"], s.Cost.Select(p => (IReadOnlyList<string>)[p.Key, p.Value.ToString("0.##", inv)]), "lr"));
        md.AppendLine();
        // Long expressions (the Taylor polynomials) stay in the JSON; the table keeps to the fitness.
        bool showExpressions = s.Generations.All(g => g.Best.Length <= 120);
        md.Append(Report.Table(showExpressions ? ["generation", "best fitness %", "mean fitness %", "best expression"] : ["generation", "best fitness %", "mean fitness %"],
            s.Generations.Select(g => (IReadOnlyList<string>)(showExpressions
                ? [g.Generation.ToString(inv), Report.F(100 * g.BestFitness, 2), Report.F(100 * g.MeanFitness, 2), $"`{g.Best}`"]
                : [g.Generation.ToString(inv), Report.F(100 * g.BestFitness, 2), Report.F(100 * g.MeanFitness, 2)])), showExpressions ? "rrrl" : "rrr"));
        md.AppendLine();
        md.AppendLine(Report.Environment().Markdown());
        md.AppendLine();
        md.AppendLine($"Reproduce: `dotnet run -c Release --project benchmarks/AutoLoss.ML.Benchmarks -- loss-search --method {method} --population {population} --generations {generations} --proxy-epochs {epochs} --seed {seed} --concurrent {concurrent} --out {outDir}`");
        return md.ToString();
    }

    private static void Plot(string path, SearchedLoss s)
    {
        double[] x = s.Generations.Select(g => (double)g.Generation).ToArray();
        Plots.Curves(path, $"{s.Method}: fitness per generation", "generation", "fitness: mean validation accuracy (%)",
            ("best", x, s.Generations.Select(g => 100 * g.BestFitness).ToArray()),
            ("population mean (finite)", x, s.Generations.Select(g => 100 * g.MeanFitness).ToArray()));
    }
}
