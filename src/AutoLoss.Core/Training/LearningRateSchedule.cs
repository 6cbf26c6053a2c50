namespace AutoLoss;

/// <summary>How the learning rate changes from epoch to epoch.</summary>
public enum LearningRateSchedule
{
    /// <summary>The same learning rate every epoch.</summary>
    Constant,
    /// <summary>Multiply by the decay factor every N epochs (step decay).</summary>
    Step,
    /// <summary>Cosine annealing from the initial rate to zero over the run.</summary>
    Cosine,
}
