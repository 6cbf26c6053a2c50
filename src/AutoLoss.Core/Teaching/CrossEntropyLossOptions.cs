
namespace AutoLoss.Core.Teaching;

/// <summary>Cross-entropy loss, -y^T log p: the baseline and the default.</summary>
public sealed class CrossEntropyLossOptions : LossOptions
{
    /// <inheritdoc />
    public override void Validate(int numberOfClasses, string optionName) { }

    /// <inheritdoc />
    public override ILossTeacher CreateTeacher(int numberOfClasses) =>
        new FixedLossTeacher("cross-entropy", state => AutoLoss.Core.Losses.CrossEntropy.PerExample(state.Logits, state.Labels));

    /// <inheritdoc />
    public override string ToString() => "cross-entropy";
}
