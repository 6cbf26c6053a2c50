namespace AutoLoss;

/// <summary>The student's optimiser.</summary>
public enum OptimizerKind
{
    /// <summary>Stochastic gradient descent with (optional) momentum.</summary>
    Sgd,
    /// <summary>Adam (Kingma and Ba), betas 0.9/0.999.</summary>
    Adam,
}
