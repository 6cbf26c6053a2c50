namespace AutoLoss;

/// <summary>
/// What a learned loss method learned in a run: an L2T-DLF teacher, an ALA policy, an AutoLoss schedule controller, or
/// a later method's artefact. The training outcome and the fitted model carry it (ML.NET keeps learned state on the
/// fitted model, not on the options); save it to teach new students later (the methods' Pretrained... options).
/// Holds native memory: its owner (the fitted model) disposes it.
/// </summary>
public interface ILearnedLoss : IDisposable
{
    /// <summary>Writes the artefact to <paramref name="stream"/>, in the format its type's <c>Load</c> reads.</summary>
    void Save(Stream stream);

    /// <summary>Writes the artefact to a file (atomically: a complete file or none).</summary>
    void Save(string path);
}
