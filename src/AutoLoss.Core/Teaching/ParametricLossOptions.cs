using AutoLoss.Core.Losses;
using AutoLoss.Core.Teaching;

namespace AutoLoss;

/// <summary>
/// The fixed member of the Phi-parametric family, l_Phi = -sigmoid(y^T Phi log p + b), with Phi
/// given by the user and held constant during training. Useful on its own to encode which
/// confusions matter (raise Phi[i, j] to reward probability mass on class j for true class i), and
/// as the family the L2T-DLF teacher and the ALA policy adapt over time.
/// </summary>
public sealed class ParametricLossOptions : LossOptions
{
    /// <summary>The C x C matrix Phi (row = true class, column = predicted class, in key order).
    /// Null means the identity. Must be finite and exactly C x C.</summary>
    public float[,]? Phi { get; set; }

    /// <summary>Bias b inside the sigmoid. Default 0. A bias near ln(C) centres the sigmoid where an
    /// untrained student's p_y = 1/C sits, which keeps early gradients large.</summary>
    public float Bias { get; set; }

    /// <summary>A constant s multiplying the loss, s x l_Phi, which scales the student's gradient like its learning
    /// rate does. Default 1. <see cref="ParametricLoss.CrossEntropyMatchedScale"/> gives the s that matches
    /// cross-entropy's gradient at an untrained student (with Bias = ln C x row sum of Phi).</summary>
    public float Scale { get; set; } = 1;

    /// <inheritdoc />
    public override void Validate(TrainingTask task, string optionName)
    {
        int numberOfClasses = ClassificationLossCheck.Require(task, "the parametric loss", optionName).NumberOfClasses;
        if (!(Scale > 0) || !float.IsFinite(Scale))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.Scale is {Scale}; it must be a positive number (e.g. 1).");
        if (!float.IsFinite(Bias))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.Bias is {Bias}; it must be a finite number.");
        if (Phi is null) return;
        if (Phi.GetLength(0) != numberOfClasses || Phi.GetLength(1) != numberOfClasses)
            throw new ArgumentException(
                $"{optionName}.Phi is {Phi.GetLength(0)} x {Phi.GetLength(1)} but the label has {numberOfClasses} classes; " +
                $"give a {numberOfClasses} x {numberOfClasses} matrix (rows and columns in the label's key order).", optionName);
        foreach (float v in Phi)
            if (!float.IsFinite(v))
                throw new ArgumentException($"{optionName}.Phi contains {v}; every entry must be finite.", optionName);
    }

    /// <inheritdoc />
    public override ILossTeacher CreateTeacher(TrainingTask task)
    {
        Validate(task, "Loss");
        int numberOfClasses = task.OutputSize;
        var phiValues = new float[numberOfClasses * numberOfClasses];
        for (int i = 0; i < numberOfClasses; i++)
            for (int j = 0; j < numberOfClasses; j++)
                phiValues[i * numberOfClasses + j] = Phi is null ? (i == j ? 1f : 0f) : Phi[i, j];
        return new FixedLossTeacher(new FixedPhiLoss(phiValues, numberOfClasses, Bias, Scale));
    }

    /// <inheritdoc />
    public override string ToString() => $"parametric(Phi {(Phi is null ? "identity" : "user")}, b {Bias}{(Scale == 1 ? "" : $", scale {Scale}")})";
}
