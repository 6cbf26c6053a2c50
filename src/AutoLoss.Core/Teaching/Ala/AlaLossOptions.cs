using AutoLoss.Core.Losses;
using AutoLoss.Core.Teaching;
using AutoLoss.Core.Teaching.Ala;

namespace AutoLoss;

/// <summary>
/// ALA, "Addressing the Loss-Metric Mismatch with Adaptive Loss Alignment" (Huang et al., ICML 2019). The student
/// minimises s x l_{Phi_t} = -s sigmoid(y^T Phi_t (log p + ln C)), i.e. the Phi-parametric family with the bias
/// b_y = ln C x (row sum of Phi_t), which centres the sigmoid for a student that predicts 1/C, times a constant
/// <see cref="LossScale"/> s. Every
/// <see cref="AlaControllerOptions.StepsPerAction"/> (K) student steps a controller pi_theta reads the validation state (the confusion
/// matrix of mean -log p, <see cref="AlaValidationView"/>) and moves each element of Phi_t by -beta, 0 or +beta.
/// Its reward is r_t = sign(M_t - M_{t+1}) where M_{t+1} = sum_j gamma^{K-j} M(f_{w^j}, D_val) is a discounted
/// window of the validation metric over the K steps (lower is better; the sign flips for metrics where higher is
/// better). theta learns online by REINFORCE with a moving-average baseline from a replay memory filled by
/// <see cref="AlaControllerOptions.Children"/> child models trained side by side (the "multi-network" mode); the run's own student is one
/// of them and is the one returned. Needs validation data.
/// </summary>
public sealed class AlaLossOptions : AlaControllerOptions
{
    /// <summary>beta, the step of an action on one element of Phi. Default 0.005. Larger steps let the controller
    /// move Phi further than its rewards justify: on digits (MLP 500-300, 20 epochs, refit, 3 seeds) test error was
    /// 3.58% with 0.005, 3.88% with 0.01 and 3.97% with 0.02, against 3.48% for Phi_0 held fixed.</summary>
    public double Beta { get; set; } = 0.005;

    /// <summary>The controller's shape. Default <see cref="AlaPolicyKind.PairShared"/>.</summary>
    public AlaPolicyKind Policy { get; set; } = AlaPolicyKind.PairShared;

    /// <summary>The metric M the loss is aligned to. Null (default): <see cref="AlaMetric.ErrorRate"/> for multiclass
    /// tasks, <see cref="AlaMetric.AreaUnderPrecisionRecallCurve"/> for binary ones.</summary>
    public AlaMetric? Metric { get; set; }

    /// <summary>The diagonal entries of Phi_0 when <see cref="InitialPhi"/> is null. Null (default): 1 for multiclass
    /// tasks; 0.25 for binary tasks, where l_Phi with a small diagonal stays close to cross-entropy (sigmoid' hardly
    /// falls for badly ranked rows, which decide the AUCPR) while a diagonal of 1 gives up on them: on digit 9 vs.
    /// rest (3 seeds) ALA's test AUCPR was 98.03% from a diagonal of 1 (scale 1) and 98.20% from 0.25 (scale 16),
    /// against 98.11% for cross-entropy.</summary>
    public double? InitialDiagonal { get; set; }

    /// <summary>The off-diagonal entries of Phi_0 when <see cref="InitialPhi"/> is null. Null (default): 0.05 x the
    /// diagonal (as for L2T-DLF: a label-smoothing-like pull; on digits this fixed loss alone beats
    /// cross-entropy).</summary>
    public double? InitialOffDiagonal { get; set; }

    /// <summary>Phi_0, C x C, within the bounds below. Null (default): <see cref="InitialDiagonal"/> on the diagonal and
    /// <see cref="InitialOffDiagonal"/> off it.</summary>
    public float[,]? InitialPhi { get; set; }

    /// <summary>s, the constant the student's loss s x l_{Phi_t} is multiplied by. Null (default): 1 for multiclass
    /// tasks; for binary tasks 4 / mean_y Phi_0(y, y), which gives log p_y the weight cross-entropy gives it (1) at an
    /// untrained student's p = 1/2, so the student's learning rate means what it means for cross-entropy (16 for the
    /// binary Phi_0; see <see cref="ParametricLoss.CrossEntropyMatchedScale"/>). Must be positive.</summary>
    public double? LossScale { get; set; }

    /// <summary>Lower bound of Phi's diagonal; actions are clamped to it. Default 0.1.</summary>
    public double MinimumDiagonal { get; set; } = 0.1;

    /// <summary>Upper bound of Phi's diagonal. Default 2.</summary>
    public double MaximumDiagonal { get; set; } = 2;

    /// <summary>Upper bound of Phi's off-diagonal entries, whose lower bound is 0: a negative Phi(y, j) would let the
    /// student lower the loss by driving p_j to 0 instead of raising p_y. Default 0.5.</summary>
    public double MaximumOffDiagonal { get; set; } = 0.5;

    /// <summary>A saved policy (<see cref="AlaPolicyModel.Load(string)"/>) to act with instead of a fresh one; a
    /// pair-shared policy works for any number of classes. Not disposed by the run.</summary>
    public AlaPolicyModel? PretrainedPolicy { get; set; }

    /// <summary>Raised after every controller decision of the run's student.</summary>
    public event Action<AlaActionReport>? ActionCompleted;

    /// <inheritdoc />
    public override void Validate(TrainingTask task, string optionName)
    {
        var classification = ClassificationLossCheck.Require(task, "ALA", optionName);
        Validate(classification.NumberOfClasses, task is BinaryTask, optionName);
    }

    private void Validate(int numberOfClasses, bool binary, string optionName)
    {
        void Positive(double value, string name, string example) => RequirePositive(value, name, example, optionName);
        if (numberOfClasses < 2)
            throw new ArgumentException($"{optionName}: ALA needs at least 2 classes; the label has {numberOfClasses}.", optionName);
        ValidateController(optionName);
        if (!Enum.IsDefined(Policy) || Policy == AlaPolicyKind.ElementShared)
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.Policy is {Policy}; a classification loss takes AlaPolicyKind.PairShared, SingleNetwork or Global (ElementShared is for AlaEmbeddingLossOptions).");
        Positive(Beta, nameof(Beta), "0.01");
        Positive(MinimumDiagonal, nameof(MinimumDiagonal), "0.5");
        if (!(MaximumDiagonal >= MinimumDiagonal) || !double.IsFinite(MaximumDiagonal))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.MaximumDiagonal is {MaximumDiagonal}; it must be finite and >= MinimumDiagonal ({MinimumDiagonal}).");
        if (!(MaximumOffDiagonal >= 0) || !double.IsFinite(MaximumOffDiagonal))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.MaximumOffDiagonal is {MaximumOffDiagonal}; it must be a finite number >= 0.");
        if (InitialDiagonal is { } diagonal && !(diagonal >= MinimumDiagonal && diagonal <= MaximumDiagonal))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.InitialDiagonal is {diagonal}; it must be between MinimumDiagonal ({MinimumDiagonal}) and MaximumDiagonal ({MaximumDiagonal}).");
        if (InitialOffDiagonal is { } off && !(off >= 0 && off <= MaximumOffDiagonal))
            throw new ArgumentOutOfRangeException(optionName, $"{optionName}.InitialOffDiagonal is {off}; it must be between 0 and MaximumOffDiagonal ({MaximumOffDiagonal}).");
        if (LossScale is { } scale)
            Positive(scale, nameof(LossScale), "1");
        if (InitialPhi is null)
        {
            var phi0 = ResolveInitialPhi(numberOfClasses, binary);
            if (!(phi0[0, 0] >= MinimumDiagonal && phi0[0, 0] <= MaximumDiagonal) || !(phi0[0, 1] <= MaximumOffDiagonal))
                throw new ArgumentOutOfRangeException(optionName,
                    $"{optionName}: the default Phi_0 for this task ({phi0[0, 0]} on the diagonal, {phi0[0, 1]} off it) is outside MinimumDiagonal ({MinimumDiagonal}), " +
                    $"MaximumDiagonal ({MaximumDiagonal}) or MaximumOffDiagonal ({MaximumOffDiagonal}); set InitialDiagonal and InitialOffDiagonal within them.");
        }
        if (InitialPhi is { } phi)
        {
            if (phi.GetLength(0) != numberOfClasses || phi.GetLength(1) != numberOfClasses)
                throw new ArgumentException($"{optionName}.InitialPhi is {phi.GetLength(0)} x {phi.GetLength(1)}; the label has {numberOfClasses} classes, so it must be {numberOfClasses} x {numberOfClasses}.", optionName);
            for (int i = 0; i < numberOfClasses; i++)
                for (int j = 0; j < numberOfClasses; j++)
                {
                    double v = phi[i, j], lo = i == j ? MinimumDiagonal : 0, hi = i == j ? MaximumDiagonal : MaximumOffDiagonal;
                    if (!(v >= lo && v <= hi))
                        throw new ArgumentOutOfRangeException(optionName,
                            $"{optionName}.InitialPhi[{i}, {j}] is {v}; {(i == j ? "diagonal" : "off-diagonal")} entries must be in [{lo}, {hi}] (see MinimumDiagonal, MaximumDiagonal, MaximumOffDiagonal).");
                }
        }
        if (PretrainedPolicy is { } pre && !pre.Supports(numberOfClasses))
            throw new ArgumentException(
                $"{optionName}.PretrainedPolicy is a {pre.Kind} policy for {pre.NumberOfClasses} classes and cannot act on {numberOfClasses} classes; " +
                "use a PairShared policy (it transfers across class counts) or train one for this task.", optionName);
    }

    /// <inheritdoc />
    public override ILossTeacher CreateTeacher(TrainingTask task)
    {
        Validate(task, "Loss");
        return new AlaTeacher(this, task.OutputSize, binary: task is BinaryTask);
    }

    /// <summary>Phi_0 as the teacher uses it (see <see cref="InitialDiagonal"/> for the binary default).</summary>
    internal double[,] ResolveInitialPhi(int classes, bool binary)
    {
        double diagonal = InitialDiagonal ?? (binary ? 0.25 : 1);
        return ParametricLoss.StartingPhi(classes, InitialPhi, InitialOffDiagonal ?? 0.05 * diagonal, diagonal);
    }

    /// <summary>s as the teacher uses it (see <see cref="LossScale"/>).</summary>
    internal double ResolveLossScale(double[,] phi0, bool binary)
        => LossScale ?? (binary ? ParametricLoss.CrossEntropyMatchedScale(phi0) : 1);

    internal void OnAction(AlaActionReport report) => ActionCompleted?.Invoke(report);

    /// <inheritdoc />
    public override string ToString() =>
        PretrainedPolicy is not null && !ContinueLearning
            ? $"ALA(pretrained {PretrainedPolicy.Kind} policy, frozen, K {StepsPerAction}, beta {Beta})"
            : $"ALA({Policy}, K {StepsPerAction}, beta {Beta}, {Children} children)";
}
