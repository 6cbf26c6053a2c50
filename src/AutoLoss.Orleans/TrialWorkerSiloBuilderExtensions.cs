using AutoLoss.Core.Search;
using Microsoft.Extensions.DependencyInjection;

namespace AutoLoss.Orleans;

/// <summary>Turns a silo into a worker of distributed searches.</summary>
public static class TrialWorkerSiloBuilderExtensions
{
    /// <summary>Registers the evaluators this silo runs trials with. Call it on every worker silo with the same names; a
    /// search's <see cref="OrleansTrialEvaluator{TCandidate}"/> names the one its trials need.</summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="configure">Adds the named evaluators (<see cref="TrialWorkerRegistry.Add{TCandidate}"/>).</param>
    public static ISiloBuilder AddTrialWorkers(this ISiloBuilder builder, Action<TrialWorkerRegistry> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var registry = new TrialWorkerRegistry();
        configure(registry);
        builder.Services.AddSingleton(services => new TrialWorkerCatalog(services, registry.Registrations));
        return builder;
    }
}

/// <summary>The evaluators a worker silo offers, collected by <see cref="TrialWorkerSiloBuilderExtensions.AddTrialWorkers"/>.</summary>
public sealed class TrialWorkerRegistry
{
    internal List<TrialWorkerRegistration> Registrations { get; } = [];

    /// <summary>Offers <paramref name="name"/>: trials sent under it are scored by the evaluator <paramref name="create"/>
    /// builds, once per silo, on first use (load the training data there, from a path or URI every worker can read).</summary>
    /// <exception cref="ArgumentException">The name is empty.</exception>
    public TrialWorkerRegistry Add<TCandidate>(string name, Func<IServiceProvider, ITrialEvaluator<TCandidate>> create)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(create);
        Registrations.Add(new TrialWorkerRegistration(name, services => WorkerEvaluator.For(create(services)
            ?? throw new InvalidOperationException($"The factory of trial evaluator '{name}' returned null."))));
        return this;
    }
}
