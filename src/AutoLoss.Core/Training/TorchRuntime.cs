using TorchSharp;

namespace AutoLoss.Core.Training;

/// <summary>
/// Loads TorchSharp's native backend once, and turns a load failure into an exception that names the
/// real cause and the fix.
/// </summary>
/// <remarks>
/// <para>
/// TorchSharp 0.107's <c>libLibTorchSharp.so</c> was built with GCC 13 and requires the libstdc++ version
/// <c>GLIBCXX_3.4.32</c>, which older distributions (Debian 12 ships <c>GLIBCXX_3.4.30</c>) lack. TorchSharp
/// then reports a misleading "doesn't contain a reference to libtorch-cpu-linux-x64" error.
/// </para>
/// <para>
/// The AutoLoss.Core build targets (<c>buildTransitive/AutoLoss.Core.targets</c>) fix this at build time by
/// patching the copy of <c>libLibTorchSharp.so</c> in the output and publish folders (set the MSBuild property
/// <c>AutoLossSkipNativeFix=true</c> to opt out). This class only verifies that the load succeeds.
/// </para>
/// </remarks>
public static class TorchRuntime
{
    private static readonly object Gate = new();
    private static bool _loaded;
    private static Exception? _failure;

    /// <summary>
    /// Ensures TorchSharp's native library is loaded, initialising the CPU device type. Thread-safe; the
    /// work is done once and the outcome (success or failure) is remembered.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// The native library could not be loaded. The message explains the likely cause (the missing
    /// <c>GLIBCXX_3.4.32</c> on older Linux, or no native backend package referenced) and how to check it;
    /// the original TorchSharp exception is the <see cref="Exception.InnerException"/>.
    /// </exception>
    public static void EnsureLoaded()
    {
        if (Volatile.Read(ref _loaded)) return;
        OneDnnIsaCap.Apply();
        lock (Gate)
        {
            if (!_loaded && _failure is null)
            {
                try
                {
                    torch.InitializeDeviceType(DeviceType.CPU);
                    Volatile.Write(ref _loaded, true);
                }
                catch (Exception ex)
                {
                    _failure = ex;
                }
            }
            // A failed load is not retried: the process state is the same, and the answer would be too.
            if (_failure is not null) throw new InvalidOperationException(BuildMessage(_failure), _failure);
        }
    }

    /// <summary>
    /// Whether CUDA can be used: loads TorchSharp (see <see cref="EnsureLoaded"/>) and then asks
    /// <c>torch.cuda.is_available()</c>. Returns <see langword="false"/> when only the CPU backend
    /// (TorchSharp-cpu) is referenced or no usable GPU is present.
    /// </summary>
    /// <exception cref="InvalidOperationException">TorchSharp's native library could not be loaded.</exception>
    public static bool IsCudaAvailable
    {
        get
        {
            EnsureLoaded();
            try { return torch.cuda.is_available(); }
            catch (Exception) { return false; } // CUDA probing failures mean "no CUDA", not a broken CPU backend.
        }
    }

    private static string BuildMessage(Exception inner)
    {
        string where = LocateNativeLibrary() ?? "<application folder>/runtimes/linux-x64/native/libLibTorchSharp.so";
        return
            "TorchSharp's native library (libLibTorchSharp.so) could not be loaded. " +
            "Make sure the application references a native backend package, TorchSharp-cpu or TorchSharp-cuda-linux " +
            "(the TorchSharp package alone contains no libtorch). " +
            (OperatingSystem.IsLinux()
                ? "On Linux the usual cause is that TorchSharp 0.107 was built with GCC 13 and requires GLIBCXX_3.4.32, " +
                  "which older system libstdc++ versions lack (Debian 12 has GLIBCXX_3.4.30); TorchSharp's own message " +
                  "about a missing libtorch reference is then misleading. The AutoLoss.Core build targets patch the copy " +
                  "of libLibTorchSharp.so in the output and publish folders automatically: rebuild the application, look " +
                  "for 'AutoLoss.ML: patched libLibTorchSharp.so' in the build output, and make sure the MSBuild property " +
                  "AutoLossSkipNativeFix is not 'true'. To check, run `ldd " + where + "`: " +
                  "\"version `GLIBCXX_3.4.32' not found\" means the file is unpatched (a patched file shows only a " +
                  "harmless \"weak version\" line); any other \"not found\" line names a different missing library. "
                : "") +
            "TorchSharp reported: " + FirstLine(inner.GetBaseException().Message) + " (see the inner exception for its trace)";
    }

    // TorchSharp's message carries a long load trace; its first line is the summary.
    private static string FirstLine(string text)
    {
        int end = text.IndexOf('\n');
        return (end < 0 ? text : text[..end]).Trim();
    }

    // The two places the .NET SDK puts the library: RID-less builds use runtimes/<rid>/native/, RID builds the app folder.
    private static string? LocateNativeLibrary()
    {
        string baseDir = AppContext.BaseDirectory;
        foreach (string candidate in new[]
                 {
                     Path.Combine(baseDir, "runtimes", "linux-x64", "native", "libLibTorchSharp.so"),
                     Path.Combine(baseDir, "libLibTorchSharp.so"),
                 })
        {
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
