using Microsoft.ML.Runtime;

namespace AutoLoss.ML.Catalog;

/// <summary>
/// A trainer's link to its MLContext: seeds drawn from the context's seed (so the same
/// <c>new MLContext(seed)</c> gives the same model) and log lines delivered to <c>mlContext.Log</c>.
/// When the context cannot be reached (see <see cref="MlNetInternals"/>) it falls back to the
/// documented defaults: seed 0 and no ML.NET log (the progress callback still works).
/// </summary>
internal sealed class TrainingHost
{
    /// <summary>Seed used when the catalog's MLContext cannot be reached and no explicit seed is set.</summary>
    public const int FallbackSeed = 0;

    private readonly IHost? _host;
    private readonly string _name;

    public TrainingHost(object catalog, string name)
    {
        _name = name;
        _host = MlNetInternals.TryGetEnvironment(catalog)?.Register(name);
    }

    /// <summary>True when the catalog's MLContext was reached.</summary>
    public bool IsConnected => _host is not null;

    /// <summary>Draws the seed for one Fit: the explicit seed when given, else the next value of
    /// the context's seeded random stream.</summary>
    public int NextSeed(int? explicitSeed)
    {
        if (explicitSeed is { } s) return s;
        if (_host is null) return FallbackSeed;
        lock (_host) return _host.Rand.Next();
    }

    /// <summary>Sends an informational message to <c>mlContext.Log</c>.</summary>
    public void Info(string message)
    {
        if (_host is null) return;
        using var channel = _host.Start(_name);
        channel.Info(MessageSensitivity.None, message);
    }
}
