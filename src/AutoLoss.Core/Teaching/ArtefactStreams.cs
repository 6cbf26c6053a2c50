using AutoLoss.Core.IO;

namespace AutoLoss.Core.Teaching;

/// <summary>The file and copy plumbing shared by the learned artefacts (teachers, policies, controllers), which each
/// define only how they write themselves to and read themselves from a stream.</summary>
internal static class ArtefactStreams
{
    /// <summary>Writes an artefact to <paramref name="path"/> all at once (<see cref="AtomicFile.Write"/>).</summary>
    public static void SaveToFile(string path, Action<Stream> save) => AtomicFile.Write(path, save);

    /// <summary>Reads an artefact from the file at <paramref name="path"/>.</summary>
    public static T LoadFromFile<T>(string path, Func<Stream, T> load)
    {
        using var stream = File.OpenRead(path);
        return load(stream);
    }

    /// <summary>A deep copy made by writing the artefact to memory and reading it back.</summary>
    public static T Copy<T>(Action<Stream> save, Func<Stream, T> load)
    {
        using var stream = new MemoryStream();
        save(stream);
        stream.Position = 0;
        return load(stream);
    }
}
