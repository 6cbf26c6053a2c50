using static TorchSharp.torch;

namespace AutoLoss.Core.Training;

/// <summary>Turns a <see cref="ComputeDevice"/> choice into a TorchSharp device.</summary>
public static class DeviceSelector
{
    /// <summary>Resolves the choice, loading TorchSharp's native library first.</summary>
    /// <exception cref="InvalidOperationException">CUDA was requested but is not available.</exception>
    public static Device Resolve(ComputeDevice choice, string optionName = "Device")
    {
        TorchRuntime.EnsureLoaded();
        return choice switch
        {
            ComputeDevice.Cpu => CPU,
            ComputeDevice.Auto => TorchRuntime.IsCudaAvailable ? CUDA : CPU,
            ComputeDevice.Cuda when TorchRuntime.IsCudaAvailable => CUDA,
            ComputeDevice.Cuda => throw new InvalidOperationException(
                $"{optionName} is Cuda but TorchSharp reports no usable CUDA device. Reference the TorchSharp-cuda-linux package " +
                $"(build with -p:AutoLossTorchBackend=cuda-linux) on a machine with an NVIDIA driver, or set {optionName} to Auto or Cpu."),
            _ => throw new ArgumentOutOfRangeException(optionName, $"{optionName} value {(int)choice} is not a known device."),
        };
    }
}
