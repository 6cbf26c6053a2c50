namespace AutoLoss.Core.IO;

/// <summary>
/// Replaces a file all at once: the content goes to a temporary file in the same directory (so the final
/// rename stays on one file system), which is flushed to disk and then moved over the target. A save that
/// fails midway leaves neither a partial file nor the temporary one, and an existing file stays as it was.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> with <paramref name="write"/>, replacing any existing file.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        string target = Path.GetFullPath(path);
        string temp = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
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
}
