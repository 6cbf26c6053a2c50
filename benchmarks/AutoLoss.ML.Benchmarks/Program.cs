using AutoLoss.Core.Training;
using AutoLoss.ML.Benchmarks;

const string Usage = """
    AutoLoss.ML benchmarks

    dotnet run -c Release --project benchmarks/AutoLoss.ML.Benchmarks -- <command> [options]

    accuracy   Test error of several methods over seeds on a fixed split.
               --task digits                       task (default digits)
               --methods ce,parametric,lightgbm,lbfgs   comma-separated method names
               --seeds N                           seeds 1..N (default 3); --first-seed S shifts them
               --epochs E                          student epochs (default 20)
               --batch-size B --learning-rate LR   student SGD settings (defaults 100, 0.1)
               --out DIR                           output folder (default benchmarks/results)
               --no-plot                           skip the PNG chart
               writes DIR/accuracy-<task>.json, .md and .png

    speed      Training throughput vs. a bare TorchSharp loop, scoring throughput and latency,
               and peak memory of a streaming fit (in a child process).
               --out DIR (default benchmarks/results)  --epochs 5  --repeats 3
               --latency-calls 5000  --memory-rows 1000000  --skip-memory  --no-plot
               writes DIR/speed.json, DIR/speed.md and DIR/speed-throughput.png
    """;

try
{
    var cl = CommandLine.Parse(args);
    if (cl.Verb is "help" or "")
    {
        Console.WriteLine(Usage);
        return cl.Verb == "help" ? 0 : 2;
    }
    TorchRuntime.EnsureLoaded();
    return cl.Verb switch
    {
        "accuracy" => AccuracyBenchmark.Run(cl),
        "speed" => SpeedBenchmark.Run(cl),
        "memory-child" => MemoryBenchmark.Child(cl),
        _ => throw new UsageException($"Unknown command '{cl.Verb}'."),
    };
}
catch (UsageException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine();
    Console.Error.WriteLine(Usage);
    return 2;
}
