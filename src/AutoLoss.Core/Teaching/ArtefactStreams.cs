namespace AutoLoss.Core.Teaching;

/// <summary>The file and copy plumbing shared by the learned artefacts (teachers, policies, controllers), which each
/// define only how they write themselves to and read themselves from a stream.</summary>
internal static class ArtefactStreams
{
    /// <summary>Writes an artefact to <paramref name="path"/> all at once: to a temporary file in the same directory,
    /// flushed, then moved over the target. A save that fails midway leaves neither a partial file nor the
    /// temporary one, and an existing file unchanged.</summary>
    public static void SaveToFile(string path, Action<Stream> save)
    {
        string target = Path.GetFullPath(path);
        string temp = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                save(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, target, overwrite: true);
        }
        catch
        {
            try
            {
                File.Delete(temp);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort: the original error is the one to report.
            }
            throw;
        }
    }

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
