namespace AutoLoss.Core.Training;

/// <summary>The kind of prediction a student learns.</summary>
public enum TaskKind
{
    /// <summary>One of C classes: the student outputs C logits, labels are int64 class indices.</summary>
    MulticlassClassification,
    /// <summary>A real number: the student outputs one value, labels are float32 targets.</summary>
    Regression,
}
