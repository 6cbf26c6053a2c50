using AutoLoss.Orleans;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using System.Net;

namespace AutoLoss.TrialWorker;

/// <summary>
/// Hosts one worker silo. Development: localhost clustering, every worker on its own ports, the first one
/// (<c>--primary-port</c>) acting as the membership primary. Production: a real membership provider; here Redis
/// (<c>--redis host:port</c>), so workers on any machine find each other through it.
/// </summary>
public static class TrialWorkerHost
{
    /// <summary>Runs a worker until the process is stopped. Arguments: <c>--silo-port P</c> (11111), <c>--gateway-port G</c>
    /// (30000), <c>--primary-port Q</c> (11111: the first worker's silo port), <c>--redis CONNECTION</c> (use Redis
    /// membership instead of localhost), <c>--cluster-id ID</c> (autoloss), <c>--epochs E</c> (epochs per trial, 4),
    /// <c>--threads N</c> (libtorch threads per worker, 1).</summary>
    public static async Task RunAsync(string[] args)
    {
        string Option(string name, string fallback)
        {
            int i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        int siloPort = int.Parse(Option("silo-port", "11111"), System.Globalization.CultureInfo.InvariantCulture);
        int gatewayPort = int.Parse(Option("gateway-port", "30000"), System.Globalization.CultureInfo.InvariantCulture);
        int primaryPort = int.Parse(Option("primary-port", "11111"), System.Globalization.CultureInfo.InvariantCulture);
        int epochs = int.Parse(Option("epochs", "4"), System.Globalization.CultureInfo.InvariantCulture);
        int threads = int.Parse(Option("threads", "1"), System.Globalization.CultureInfo.InvariantCulture);
        string? redis = Option("redis", "");
        string clusterId = Option("cluster-id", "autoloss");

        AutoLoss.Core.Training.TorchRuntime.EnsureLoaded();
        TorchSharp.torch.set_num_threads(threads);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo =>
        {
            if (string.IsNullOrEmpty(redis))
                silo.UseLocalhostClustering(siloPort, gatewayPort, new IPEndPoint(IPAddress.Loopback, primaryPort), serviceId: "autoloss-search", clusterId: clusterId);
            else
                silo.UseRedisClustering(redis).Configure<global::Orleans.Configuration.ClusterOptions>(o => { o.ClusterId = clusterId; o.ServiceId = "autoloss-search"; })
                    .ConfigureEndpoints(siloPort, gatewayPort);
            silo.AddTrialWorkers(workers => workers.Add(DigitsMlpTrials.Name, _ => DigitsMlpTrials.Evaluator(epochs)));
        });
        using var host = builder.Build();
        await host.StartAsync();
        Console.WriteLine($"worker ready: silo port {siloPort}, gateway port {gatewayPort}, {(string.IsNullOrEmpty(redis) ? $"localhost clustering (primary {primaryPort})" : $"Redis clustering at {redis}")}, cluster '{clusterId}'");
        await host.WaitForShutdownAsync();
    }
}
