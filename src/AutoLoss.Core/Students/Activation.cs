namespace AutoLoss;

/// <summary>Non-linearity applied after every hidden layer of a student network.</summary>
public enum Activation
{
    /// <summary>max(0, x). The default: fast and well behaved with SGD.</summary>
    Relu,
    /// <summary>Hyperbolic tangent.</summary>
    Tanh,
    /// <summary>Gaussian error linear unit.</summary>
    Gelu,
    /// <summary>Logistic sigmoid.</summary>
    Sigmoid,
    /// <summary>max(0.01 x, x).</summary>
    LeakyRelu,
}
