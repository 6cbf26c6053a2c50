namespace AutoLoss;

/// <summary>How the loss controller V is updated on a validation batch (the bi-level problem: V minimises the validation
/// loss of the student after the student's step on the V-mixed training loss).</summary>
public enum LossMixingUpdate
{
    /// <summary>First order: the validation gradient is taken at the student's current weights w and held constant, so
    /// V descends -xi g_val(w)^T grad_w L_train(w, V), the first-order term of L_val(w - xi grad_w L_train(w, V)). Works for
    /// any student; costs about two extra backward passes per update.</summary>
    FirstOrder,

    /// <summary>One-step look-ahead (as in DARTS): V descends L_val(w') with w' = w - xi grad_w L_train(w, V), differentiated
    /// through the student's step. Needs a student spec with a functional form (<see cref="IFunctionalStudent"/>, e.g.
    /// <see cref="MlpSpec"/>).</summary>
    OneStepLookAhead,
}
