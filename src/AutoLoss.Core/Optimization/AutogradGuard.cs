using static TorchSharp.torch;

namespace AutoLoss.Core.Optimization;

/// <summary>
/// The one place the core calls <c>torch.autograd.grad</c>. TorchSharp 0.107's native entry point has no
/// C++ exception guard, so a libtorch error there (an input that does not require grad, an output
/// without a graph, mismatched grad_outputs) aborts the process; this helper checks all of that in C#
/// first and always passes <c>retain_graph</c>/<c>create_graph</c> deliberately. By default <c>allow_unused</c> is false
/// (callers pass only inputs their outputs were computed from); a caller that cannot know that (a user's module may hold
/// parameters its forward pass never uses) asks for zeros instead.
/// </summary>
public static class AutogradGuard
{
    /// <summary>d(outputs . gradOutputs)/d(inputs); one gradient per input, same shape.</summary>
    /// <param name="output">The output (a scalar unless <paramref name="gradOutput"/> is given).</param>
    /// <param name="inputs">What to differentiate with respect to; each must require grad.</param>
    /// <param name="createGraph">Keep a graph of the gradients (for a second derivative).</param>
    /// <param name="retainGraph">Keep the output's graph for another backward pass.</param>
    /// <param name="gradOutput">The vector of the vector-Jacobian product, for a non-scalar output.</param>
    /// <param name="zerosForUnused">Give zeros for inputs the output does not depend on, instead of failing.</param>
    public static Tensor[] Grad(Tensor output, IReadOnlyList<Tensor> inputs, bool createGraph, bool retainGraph, Tensor? gradOutput = null, bool zerosForUnused = false)
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
            retain_graph: retainGraph, create_graph: createGraph, allow_unused: zerosForUnused);
        if (result.Count != inputs.Count)
            throw new InvalidOperationException($"autograd.grad returned {result.Count} gradients for {inputs.Count} inputs.");
        var grads = result.ToArray();
        if (zerosForUnused)
            for (int i = 0; i < grads.Length; i++)
                if (grads[i] is null || grads[i].IsInvalid) grads[i] = zeros_like(inputs[i]);
        for (int i = 0; i < grads.Length; i++)
            if (grads[i] is null || grads[i].IsInvalid || !grads[i].shape.SequenceEqual(inputs[i].shape))
                throw new InvalidOperationException($"autograd.grad returned no usable gradient for input {i}.");
        return grads;
    }
}
