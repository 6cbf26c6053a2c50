using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>
/// A family of embedding losses l_Phi with a few real parameters Phi that ALA's controller moves during training
/// (<see cref="AlaEmbeddingLossOptions"/>): the paper's distance mixture (<see cref="AlaDistanceMixture"/>) and focal
/// weighting (<see cref="AlaFocalWeighting"/>), or a family of your own. A family says what Phi_0 is, the bounds and
/// default step of each element, how to compute the loss for a batch, and how to describe each element to the
/// controller from validation distance statistics.
/// </summary>
public abstract class AlaEmbeddingLossFamily
{
    /// <summary>Values <see cref="Describe"/> writes per element.</summary>
    public const int ElementFeatureCount = 5;

    /// <summary>Name used in logs and reports.</summary>
    public abstract string Name { get; }

    /// <summary>The number of elements of Phi.</summary>
    public abstract int Size { get; }

    /// <summary>beta, the step of one action on an element, when <see cref="AlaEmbeddingLossOptions.Beta"/> is null.</summary>
    public abstract double DefaultStep { get; }

    /// <summary>The distance bins of the validation statistics the controller reads (<see cref="EmbeddingValidationStatistics"/>). Default 8.</summary>
    public virtual int StatisticsBins => 8;

    /// <summary>Phi_0, the family's fixed starting point (<see cref="Size"/> values within the bounds).</summary>
    public abstract double[] InitialPhi();

    /// <summary>The smallest value element <paramref name="element"/> may take; actions are clamped to it.</summary>
    public abstract double Minimum(int element);

    /// <summary>The largest value element <paramref name="element"/> may take.</summary>
    public abstract double Maximum(int element);

    /// <summary>l_Phi per row [B] of a batch of raw embeddings [B, D] with int64 labels [B] (the mean over rows is the batch
    /// loss). Random draws (e.g. negative sampling) use <paramref name="generator"/> when given: each ALA child has its own,
    /// so children training on several threads stay reproducible.</summary>
    public abstract Tensor Compute(Tensor outputs, Tensor labels, IReadOnlyList<double> phi, Generator? generator = null);

    /// <summary>Writes <see cref="ElementFeatureCount"/> values describing element <paramref name="element"/> to the
    /// controller: the validation statistics it acts on, their change since <paramref name="before"/> (null at the
    /// first decision), its value, and where it sits (e.g. positive or negative pairs, which distance).</summary>
    public abstract void Describe(int element, EmbeddingValidationStatistics now, EmbeddingValidationStatistics? before, IReadOnlyList<double> phi, Span<float> features);

    /// <summary>Checks the family's own settings, naming the option and the fix. Called before any tensor exists.</summary>
    public virtual void Validate(string optionName)
    {
        var phi0 = InitialPhi();
        if (Size <= 0 || phi0.Length != Size)
            throw new ArgumentException($"{optionName}: the loss family {Name} has {Size} elements but a Phi_0 of {phi0.Length}; they must agree and be positive.", optionName);
        for (int k = 0; k < Size; k++)
            if (!(Minimum(k) <= phi0[k] && phi0[k] <= Maximum(k)) || !double.IsFinite(phi0[k]))
                throw new ArgumentOutOfRangeException(optionName, $"{optionName}: Phi_0[{k}] of {Name} is {phi0[k]}; it must be within [{Minimum(k)}, {Maximum(k)}].");
    }

    /// <summary>The family's loss with Phi held at Phi_0: the fixed starting point an ALA run is compared with.</summary>
    public IPerExampleLoss FixedLoss() => new FixedEmbeddingFamilyLoss(this, InitialPhi());

    /// <inheritdoc />
    public override string ToString() => Name;

    private sealed class FixedEmbeddingFamilyLoss(AlaEmbeddingLossFamily family, double[] phi) : IPerExampleLoss
    {
        public string Name => $"{family.Name} (fixed Phi_0)";

        public void Validate(TrainingTask task, string optionName)
        {
            Core.Losses.Embedding.EmbeddingPairs.Require(task, Name, optionName);
            family.Validate(optionName);
        }

        public Tensor Compute(Tensor outputs, Tensor labels) => family.Compute(outputs, labels, phi);
    }
}
