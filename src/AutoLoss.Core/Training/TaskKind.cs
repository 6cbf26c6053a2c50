namespace AutoLoss.Core.Training;

/// <summary>The kind of prediction a student learns.</summary>
public enum TaskKind
{
    /// <summary>One of C classes: the student outputs C logits, labels are int64 class indices.</summary>
    MulticlassClassification,
    /// <summary>A real number: the student outputs one value, labels are float32 targets.</summary>
    Regression,
    /// <summary>Two classes (negative 0, positive 1): trained as a two-class classifier with two logits, so every
    /// classification loss applies unchanged; labels are int64 0/1.</summary>
    BinaryClassification,
}
