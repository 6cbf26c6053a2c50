using AutoLoss.Core.Teaching.Ala;
namespace AutoLoss;

/// <summary>The baseline b_t that REINFORCE subtracts from a child's reward r_t (it lowers the gradient's variance
/// without biasing it, since b_t does not depend on the child's own action).</summary>
public enum AlaBaseline
{
    /// <summary>The mean reward of the other children in the same round (leave-one-out). Early in training almost
    /// every window improves (r = +1 for all), which says nothing about the actions; comparing children that took
    /// different actions at the same moment removes that trend. With one child it falls back to
    /// <see cref="MovingAverage"/>. The default.</summary>
    OtherChildren,

    /// <summary>A moving average of past rounds' mean reward (decay <see cref="AlaControllerOptions.BaselineDecay"/>), as in
    /// the paper's single-model description.</summary>
    MovingAverage,
}
