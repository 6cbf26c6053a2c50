using System.Diagnostics;
using Orleans.Placement;
using Orleans.Runtime;

namespace AutoLoss.Orleans;

/// <summary>Runs a trial with the silo's registered evaluator. Placed on the silo with the fewest activations (one
/// activation per running trial), so trials spread evenly over the workers; the
/// evaluators (and the training data they hold) belong to the silo's <see cref="TrialWorkerCatalog"/>, not to the
/// activation, so data is loaded once per worker, never per trial.</summary>
[ActivationCountBasedPlacement]
internal sealed class TrialWorkerGrain(TrialWorkerCatalog catalog, ILocalSiloDetails silo) : Grain, ITrialWorkerGrain
{
    public async Task<TrialReply> EvaluateAsync(TrialRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var clock = Stopwatch.StartNew();
        // The evaluator trains on the thread pool (TrainingTrialEvaluator runs its work in Task.Run), not on the grain scheduler.
        string result = await catalog.EvaluateAsync(request);
        // One trial per activation: let Orleans collect it as soon as the call returns.
        DeactivateOnIdle();
        return new TrialReply(result, silo.SiloAddress.ToString(), clock.Elapsed.TotalSeconds);
    }
}
