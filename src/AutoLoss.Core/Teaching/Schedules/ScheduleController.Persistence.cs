using AutoLoss.Core.Teaching;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>Saving, loading and copying a <see cref="ScheduleController"/>.</summary>
public sealed partial class ScheduleController
{
    /// <summary>A deep copy (frozen; call <see cref="EnableLearning"/> to train it).</summary>
    public ScheduleController Clone() => ArtefactStreams.Copy(Save, Load);

    /// <summary>Writes the controller: a header (format, sizes, temperature, counters, choice names, reward cadence) and
    /// theta.</summary>
    public void Save(Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(FormatVersion);
        writer.Write(StateSize);
        writer.Write(Choices);
        writer.Write(HiddenSize);
        writer.Write(Temperature);
        writer.Write(Updates);
        writer.Write(Episodes);
        writer.Write(ChoiceNames?.Count ?? 0);
        foreach (string name in ChoiceNames ?? []) writer.Write(name);
        writer.Write(RewardEvery ?? 0);
        _network.save(writer);
    }

    /// <summary>Writes the controller to a file.</summary>
    public void Save(string path) => ArtefactStreams.SaveToFile(path, Save);

    /// <summary>Reads a controller written by <see cref="Save(Stream)"/> (frozen).</summary>
    /// <exception cref="InvalidDataException">The stream is not a saved controller, or is corrupt.</exception>
    public static ScheduleController Load(Stream stream)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        string magic;
        try { magic = reader.ReadString(); }
        catch (Exception e) when (e is EndOfStreamException or IOException) { throw new InvalidDataException("Not a saved schedule controller (empty or truncated).", e); }
        if (magic != Magic) throw new InvalidDataException("Not a saved schedule controller.");
        int version = reader.ReadInt32();
        if (version is < 1 or > FormatVersion) throw new InvalidDataException($"Schedule controller format {version} is not supported (expected 1 to {FormatVersion}).");
        int stateSize = reader.ReadInt32(), choices = reader.ReadInt32(), hidden = reader.ReadInt32();
        double temperature = reader.ReadDouble();
        int updates = reader.ReadInt32(), episodes = reader.ReadInt32();
        if (stateSize <= 0 || stateSize > 1 << 20 || choices < 2 || choices > 1 << 16 || hidden <= 0 || hidden > 1 << 16 || !(temperature > 0))
            throw new InvalidDataException("Corrupt schedule controller header.");
        string[]? names = null;
        if (version >= 2)
        {
            int count = reader.ReadInt32();
            if (count != 0 && count != choices) throw new InvalidDataException("Corrupt schedule controller header (choice names).");
            names = count == 0 ? null : [.. Enumerable.Range(0, count).Select(_ => reader.ReadString())];
        }
        int rewardEvery = version >= 3 ? reader.ReadInt32() : 0;
        if (rewardEvery < 0) throw new InvalidDataException("Corrupt schedule controller header (reward cadence).");
        var controller = new ScheduleController(stateSize, choices, hidden, temperature, names)
        {
            Updates = updates,
            Episodes = episodes,
            RewardEvery = rewardEvery == 0 ? null : rewardEvery,
        };
        try { controller._network.load(reader); }
        catch (Exception e)
        {
            controller.Dispose();
            throw new InvalidDataException("Corrupt schedule controller weights: " + e.Message, e);
        }
        return controller;
    }

    /// <summary>Reads a controller from a file.</summary>
    public static ScheduleController Load(string path) => ArtefactStreams.LoadFromFile(path, Load);
}
