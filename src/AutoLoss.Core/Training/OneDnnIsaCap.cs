using System.Runtime.InteropServices;

namespace AutoLoss.Core.Training;

/// <summary>
/// Caps the instruction set of oneDNN, libtorch's CPU convolution library, at AVX2 (<c>ONEDNN_MAX_CPU_ISA=AVX2</c>)
/// unless the process already sets the variable. With its AVX-512 kernels and two or more intra-op threads, the same
/// seeded convolutional training was measured to give different weights from run to run and, in about one run of
/// three, NaN losses on this project's (virtualised, AVX-512) machines; capped at AVX2 every run was bitwise identical
/// (tests/…/Images/ConvNetDeterminismTests). oneDNN reads the variable once, at its first convolution, so this runs
/// before any (<see cref="TorchRuntime.EnsureLoaded"/> and every convolutional student's construction). Set the variable
/// yourself (e.g. <c>ONEDNN_MAX_CPU_ISA=ALL</c>) to choose otherwise.
/// </summary>
internal static partial class OneDnnIsaCap
{
    private const string Variable = "ONEDNN_MAX_CPU_ISA";
    private static int _applied;

    /// <summary>Sets the cap in the native environment, once per process, on Linux.</summary>
    public static void Apply()
    {
        if (Interlocked.Exchange(ref _applied, 1) == 1 || !OperatingSystem.IsLinux()) return;
        // .NET's Environment.SetEnvironmentVariable does not reach native getenv on Unix: call libc's setenv,
        // without overwriting a value the user gave.
        if (Environment.GetEnvironmentVariable(Variable) is null)
            _ = SetEnvironment(Variable, "AVX2", overwrite: 0);
    }

    [LibraryImport("libc.so.6", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnvironment(string name, string value, int overwrite);
}
