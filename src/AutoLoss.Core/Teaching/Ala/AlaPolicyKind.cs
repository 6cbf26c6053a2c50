using AutoLoss.Core.Teaching.Ala;
namespace AutoLoss;

/// <summary>How ALA's controller pi_theta reads the state and acts on Phi.</summary>
public enum AlaPolicyKind
{
    /// <summary>One small network shared by every class pair (i, j): it reads [C_ij, C_ji] (with their recent
    /// change, the current Phi(i,j), Phi(j,i) and training progress) and acts on Phi(i,j) and Phi(j,i). Its size
    /// does not depend on the number of classes, so a learned policy transfers to tasks with any C (the default).</summary>
    PairShared,

    /// <summary>The paper's "single-network" policy: one network reads the whole state (all of C, its change,
    /// Phi, progress) and acts on every element of Phi at once. Bound to the number of classes it was built for.</summary>
    SingleNetwork,

    /// <summary>One small network shared by every element of an embedding loss's Phi (<see cref="AlaEmbeddingLossOptions"/>):
    /// one input row per element (its distance statistics, its value, training progress and the validation metric),
    /// one action each. Its size does not depend on the number of elements.</summary>
    ElementShared,

    /// <summary>Two handles for the whole of Phi: one network reads a summary of the state (the mean diagonal and
    /// off-diagonal of the confusion matrix on a log scale and their change, the mean diagonal and off-diagonal of Phi,
    /// progress) and moves every diagonal element together (head 0) and every off-diagonal element together (head 1).
    /// One reward then credits two actions instead of one per class pair. Works for any number of classes.</summary>
    Global,
}
