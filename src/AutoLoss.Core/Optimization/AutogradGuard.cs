using static TorchSharp.torch;

namespace AutoLoss.Core.Optimization;

/// <summary>
/// The one place the core calls <c>torch.autograd.grad</c>. TorchSharp 0.107's native entry point has no
/// C++ exception guard, so a libtorch error there (an input that does not require grad, an output
/// without a graph, mismatched grad_outputs) aborts the process; this helper checks all of that in C#
/// first and always passes <c>retain_graph</c>/<c>create_graph</c> deliberately and
/// <c>allow_unused = false</c> (callers only pass inputs their outputs were computed from).
/// </summary>
public static class AutogradGuard
{
    /// <summary>d(outputs . gradOutputs)/d(inputs); one gradient per input, same shape.</summary>
    public static Tensor[] Grad(Tensor output, IReadOnlyList<Tensor> inputs, bool createGraph, bool retainGraph, Tensor? gradOutput = null)
    {
        if (output.IsInvalid) throw new ArgumentException("autograd.grad: the output tensor has been disposed.", nameof(output));
        if (!output.requires_grad)
            throw new InvalidOperationException("autograd.grad: the output does not require grad (it has no graph back to the inputs).");
        if (gradOutput is null && output.numel() != 1)
            throw new InvalidOperationException($"autograd.grad: a non-scalar output [{string.Join(",", output.shape)}] needs a grad_output.");
        if (gradOutput is not null && (!gradOutput.shape.SequenceEqual(output.shape) || gradOutput.dtype != output.dtype))
            throw new InvalidOperationException(
                $"autograd.grad: grad_output [{string.Join(",", gradOutput.shape)}] {gradOutput.dtype} does not match the output [{string.Join(",", output.shape)}] {output.dtype}.");
        if (inputs.Count == 0) throw new ArgumentException("autograd.grad: no inputs.", nameof(inputs));
        for (int i = 0; i < inputs.Count; i++)
        {
            if (inputs[i].IsInvalid) throw new ArgumentException($"autograd.grad: input {i} has been disposed.", nameof(inputs));
            if (!inputs[i].requires_grad) throw new InvalidOperationException($"autograd.grad: input {i} does not require grad.");
        }
        var result = autograd.grad([output], inputs.ToList(), gradOutput is null ? null : [gradOutput],
            retain_graph: retainGraph, create_graph: createGraph, allow_unused: false);
        if (result.Count != inputs.Count)
            throw new InvalidOperationException($"autograd.grad returned {result.Count} gradients for {inputs.Count} inputs.");
        for (int i = 0; i < result.Count; i++)
            if (result[i] is null || result[i].IsInvalid || !result[i].shape.SequenceEqual(inputs[i].shape))
                throw new InvalidOperationException($"autograd.grad returned no usable gradient for input {i}.");
        return result.ToArray();
    }
}
