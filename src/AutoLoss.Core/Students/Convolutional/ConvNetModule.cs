using AutoLoss.Core.Training;
using static TorchSharp.torch;

namespace AutoLoss.Core.Students.Convolutional;

/// <summary>
/// The network a <see cref="ConvNetSpec"/> builds: the layout's weights registered as parameters (in
/// <see cref="ConvNetLayout.Parameters"/> order, so <c>parameters()</c> lines up with the functional form) and its
/// batch-norm running statistics as buffers; the forward pass is <see cref="ConvNetForward"/>'s.
/// </summary>
internal sealed class ConvNetModule : nn.Module<Tensor, Tensor>
{
    private readonly ConvNetLayout _layout;

    public ConvNetModule(ConvNetLayout layout) : base("ConvNet")
    {
        _layout = layout;
        OneDnnIsaCap.Apply();
        using var noGrad = no_grad();
        foreach (var slot in layout.Parameters)
        {
            var value = empty(slot.Shape);
            double bound = 1 / Math.Sqrt(slot.FanIn);
            switch (slot.Init)
            {
                case ParameterInit.Weight: nn.init.kaiming_uniform_(value, a: Math.Sqrt(5)); break;
                case ParameterInit.Bias: nn.init.uniform_(value, -bound, bound); break;
                case ParameterInit.Ones: value.fill_(1); break;
                default: value.zero_(); break;
            }
            register_parameter(slot.Name, nn.Parameter(value));
        }
        foreach (var (name, channels) in layout.NormStatistics)
        {
            register_buffer(name + "_running_mean", zeros(channels));
            register_buffer(name + "_running_var", ones(channels));
        }
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        // Read back on every call: moving the module to another device replaces the registered tensors.
        var parameters = this.parameters().ToList();
        var statistics = _layout.NormStatistics.Count == 0 ? null : buffers().ToList();
        return ConvNetForward.Run(_layout, input, parameters, statistics, training);
    }
}
