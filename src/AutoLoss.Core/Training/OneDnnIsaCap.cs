using System.Runtime.InteropServices;

namespace AutoLoss.Core.Training;

/// <summary>
/// Caps the instruction set of oneDNN, libtorch's CPU convolution library, at SSE4.1 (<c>ONEDNN_MAX_CPU_ISA=SSE41</c>)
/// unless the process already sets the variable. On this project's machines (virtualised AMD EPYC) oneDNN's AVX-512
/// and AVX2 kernels trained the same seeded convolutional network to different weights from run to run and often to
/// NaN within a few steps, in AutoLoss.ML and in a bare TorchSharp loop alike, with one thread or two; capped at SSE4.1
/// every run was bitwise identical (tests/.../Images/ConvNetDeterminismTests). The cap costs speed: LeNet-5 trained
/// about 1.8x slower and scored batches about 2x slower than with AVX2. MLP students do not use oneDNN. oneDNN reads
/// the variable once, at its first convolution, so this runs before any (<see cref="TorchRuntime.EnsureLoaded"/> and
/// every convolutional student's construction). On hardware where oneDNN is sound, set the variable yourself (e.g.
/// <c>ONEDNN_MAX_CPU_ISA=ALL</c>) before starting the process.
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
            _ = SetEnvironment(Variable, "SSE41", overwrite: 0);
    }

    [LibraryImport("libc.so.6", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnvironment(string name, string value, int overwrite);
}
