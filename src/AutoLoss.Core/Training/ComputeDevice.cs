namespace AutoLoss;

/// <summary>Where the student trains.</summary>
public enum ComputeDevice
{
    /// <summary>CUDA when TorchSharp reports a usable GPU (TorchSharp-cuda-linux referenced and a
    /// driver present), otherwise CPU.</summary>
    Auto,
    /// <summary>Always the CPU.</summary>
    Cpu,
    /// <summary>The first CUDA GPU; training fails with a clear message when none is usable.</summary>
    Cuda,
}
