using System.Diagnostics;
using System.Net;
using System.Text;
using AutoLoss.Core.Search;
using AutoLoss.Orleans;
using AutoLoss.TrialWorker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AutoLoss.ML.Benchmarks;

/// <summary>
/// <c>orleans</c>: one random search over MLP students on the digits (<see cref="DigitsMlpTrials"/>), run twice with the
/// same seed: in this process (trials side by side, one libtorch thread each) and on a local Orleans cluster of worker
/// processes (<c>trial-worker</c>, one thread each). Checks that the two give identical trials and scores, and measures
/// the cluster's overhead per trial: the client's end-to-end time minus the worker's own evaluation time.
/// </summary>
internal static class OrleansBenchmark
{
    private const int FirstSiloPort = 11211, FirstGatewayPort = 30100;

    /// <summary>One or two hidden layers of 64 to 512 units.</summary>
    private sealed class HiddenSizesSpace : ISearchSpace<int[]>
    {
        private static readonly int[] Widths = [64, 128, 256, 512];

        public int[] Sample(Random random) => Enumerable.Range(0, 1 + random.Next(2)).Select(_ => Widths[random.Next(Widths.Length)]).ToArray();

        public string? Key(int[] candidate) => string.Join("-", candidate);
    }

    public static int Run(CommandLine cl)
    {
        int workers = cl.Int("workers", 2, min: 1);
        int trials = cl.Int("trials", 12, min: 1);
        int epochs = cl.Int("epochs", 20, min: 1);
        int seed = cl.Int("seed", 1);
        string outDir = cl.String("out", "benchmarks/results");
        cl.RejectUnknown();
        Directory.CreateDirectory(outDir);
        TorchSharp.torch.set_num_threads(1);

        Task<SearchResult<int[]>> Search(ITrialEvaluator<int[]> evaluator) =>
            new SearchRunner<int[]>(new RandomSearchStrategy<int[]>(new HiddenSizesSpace(), seed), evaluator,
                new SearchRunnerOptions { Seed = seed, TrialsPerRound = workers, Budget = new SearchBudget { MaxTrials = trials, MaxConcurrentTrials = workers } }).RunAsync();

        Console.WriteLine($"local: {trials} trials, {workers} at a time, one libtorch thread each ...");
        var local = Search(DigitsMlpTrials.Evaluator(epochs)).GetAwaiter().GetResult();

        var processes = StartWorkers(workers, epochs);
        try
        {
            using var client = ClientHost(workers);
            client.StartAsync().GetAwaiter().GetResult();
            var grains = client.Services.GetRequiredService<IClusterClient>();
            var remote = new OrleansTrialEvaluator<int[]>(grains, DigitsMlpTrials.Name, DigitsMlpTrials.Evaluator(1).Objective);
            var timings = new List<(string Worker, double Evaluation, double EndToEnd)>();
            remote.Evaluated += (_, worker, evaluation, endToEnd) => { lock (timings) timings.Add((worker, evaluation, endToEnd)); };
            Console.WriteLine($"cluster: the same search on {workers} worker processes ...");
            var distributed = Search(remote).GetAwaiter().GetResult();
            client.StopAsync().GetAwaiter().GetResult();
            return WriteReport(local, distributed, timings, workers, trials, epochs, seed, outDir);
        }
        finally
        {
            foreach (var process in processes)
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                process.Dispose();
            }
        }
    }

    /// <summary><c>trial-worker ...</c>: hosts one worker silo in this process (the child side of <see cref="Run"/>).</summary>
    public static int Worker(string[] args)
    {
        TrialWorkerHost.RunAsync(args).GetAwaiter().GetResult();
        return 0;
    }

    private static List<Process> StartWorkers(int count, int epochs)
    {
        string self = typeof(OrleansBenchmark).Assembly.Location;
        var processes = new List<Process>();
        for (int i = 0; i < count; i++)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in new[] { self, "trial-worker", "--silo-port", $"{FirstSiloPort + i}", "--gateway-port", $"{FirstGatewayPort + i}",
                         "--primary-port", $"{FirstSiloPort}", "--epochs", $"{epochs}", "--threads", "1", "--cluster-id", "autoloss-benchmark" })
                start.ArgumentList.Add(a);
            var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start a worker process.");
            processes.Add(process);
            string? line;
            while ((line = process.StandardOutput.ReadLine()) is not null && !line.StartsWith("worker ready", StringComparison.Ordinal)) { }
            if (line is null) throw new InvalidOperationException($"Worker {i} exited before it was ready.");
            Console.WriteLine($"  {line}");
        }
        return processes;
    }

    private static IHost ClientHost(int workers)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client => client.UseStaticClustering(Enumerable.Range(0, workers).Select(i => new IPEndPoint(IPAddress.Loopback, FirstGatewayPort + i)).ToArray())
            .Configure<global::Orleans.Configuration.ClusterOptions>(o => { o.ClusterId = "autoloss-benchmark"; o.ServiceId = "autoloss-search"; }));
        return builder.Build();
    }

    private static int WriteReport(SearchResult<int[]> local, SearchResult<int[]> distributed, List<(string Worker, double Evaluation, double EndToEnd)> timings,
        int workers, int trials, int epochs, int seed, string outDir)
    {
        string Scores(SearchResult<int[]> r) => string.Join(";", r.Trials.Select(t => $"{t.Trial.Id}:{string.Join("-", t.Trial.Candidate)}:{t.Result.Status}:{t.Result.MetricValue:R}"));
        bool identical = Scores(local) == Scores(distributed);
        var overhead = timings.Select(t => t.EndToEnd - t.Evaluation).ToList();
        double meanEvaluation = timings.Average(t => t.Evaluation);
        var row = new
        {
            workers, trials, epochs, seed, identical,
            localWallSeconds = local.WallTime.TotalSeconds,
            clusterWallSeconds = distributed.WallTime.TotalSeconds,
            meanTrialSeconds = meanEvaluation,
            medianOverheadMilliseconds = 1000 * Stats.Median(overhead),
            maxOverheadMilliseconds = 1000 * overhead.Max(),
            overheadPercentOfTrial = 100 * Stats.Median(overhead) / meanEvaluation,
            trialsPerWorker = timings.GroupBy(t => t.Worker).ToDictionary(g => g.Key, g => g.Count()),
            best = string.Join("-", distributed.Best!.Trial.Candidate),
            bestAccuracy = distributed.Best!.Result.MetricValue,
        };
        Report.WriteJson(Path.Combine(outDir, "orleans.json"), row);
        var md = new StringBuilder();
        md.AppendLine("# Distributed search on Orleans");
        md.AppendLine();
        md.AppendLine($"One random search over MLP students (1-2 hidden layers of 64-512 units; {epochs} epochs of SGD on 4,000 digits, accuracy on 2,000 more), {trials} trials, seed {seed}, " +
                      $"run in one process ({workers} trials at a time, one libtorch thread each) and on a local Orleans cluster of {workers} worker processes (`trial-worker`, one thread each, localhost clustering). " +
                      "Overhead per trial: the client's end-to-end time of a trial minus the worker's own evaluation time (serialisation, messaging, activation).");
        md.AppendLine();
        md.Append(Report.Table(["measure", "value"],
        [
            ["identical trials and scores", identical ? "yes" : "NO"],
            ["wall time, one process (s)", Report.F(row.localWallSeconds, 1)],
            ["wall time, cluster (s)", Report.F(row.clusterWallSeconds, 1)],
            ["mean trial (evaluation on the worker, s)", Report.F(meanEvaluation, 2)],
            ["overhead per trial, median (ms)", Report.F(row.medianOverheadMilliseconds, 1)],
            ["overhead per trial, max (ms)", Report.F(row.maxOverheadMilliseconds, 1)],
            ["overhead, % of a trial (target < 5%)", Report.F(row.overheadPercentOfTrial, 3)],
            ["trials per worker", string.Join(", ", row.trialsPerWorker.Values)],
            ["best architecture (validation accuracy)", $"MLP({row.best}) ({100 * row.bestAccuracy:F2}%)"],
        ], "lr"));
        md.AppendLine();
        md.AppendLine(Report.Environment().Markdown());
        md.AppendLine();
        md.AppendLine($"Reproduce: `dotnet run -c Release --project benchmarks/AutoLoss.ML.Benchmarks -- orleans --workers {workers} --trials {trials} --epochs {epochs} --seed {seed} --out {outDir}`");
        File.WriteAllText(Path.Combine(outDir, "orleans.md"), md.ToString());
        Console.WriteLine(md.ToString());
        return identical ? 0 : 1;
    }
}
