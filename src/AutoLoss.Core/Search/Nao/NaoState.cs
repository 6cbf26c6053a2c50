namespace AutoLoss.Core.Search.Nao;

/// <summary>An evaluated architecture: its canonical tokens and its metric value.</summary>
public sealed record EvaluatedArchitecture(int[] Tokens, double Value);

/// <summary>Everything <see cref="NaoStrategy"/> needs to continue a search; JSON-serialisable (the controller's weights
/// as base64 of TorchSharp's state-dict format).</summary>
internal sealed class NaoState
{
    public int Seed { get; set; }
    public long Draws { get; set; }
    public int Round { get; set; }
    public int SeedProposed { get; set; }
    public int Pending { get; set; }
    public bool? HigherIsBetter { get; set; }
    public List<EvaluatedArchitecture> Pool { get; set; } = [];
    public List<string> Proposed { get; set; } = [];
    public List<int[]> Queue { get; set; } = [];
    public string? ControllerWeights { get; set; }
}
