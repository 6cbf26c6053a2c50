namespace AutoLoss.ML.Benchmarks;

/// <summary><c>loss-search</c>: runs a loss search on the digits' training rows and writes the searched loss.</summary>
internal static class LossSearchBenchmark
{
    public const int DefaultProxyEpochs = 10;

    public static int Run(CommandLine cl)
    {
        if (cl.Has("check")) return LossProxyCheck.Run(cl);
        throw new UsageException("loss-search: not yet");
    }
}
