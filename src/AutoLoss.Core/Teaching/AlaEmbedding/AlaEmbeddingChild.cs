using AutoLoss.Core.Losses;
using AutoLoss.Core.Teaching.Ala;
using AutoLoss.Core.Training;
using static TorchSharp.torch;

namespace AutoLoss.Core.Teaching.AlaEmbedding;

/// <summary>
/// One child model of ALA on an embedding loss: its own Phi_t, the validation measurements of its current window, its
/// last window metric M_t, the statistics of its last decision, and the decision still waiting for its reward. The
/// run's own student is a child without a <see cref="AlaChildBase{TPhi}.Side"/> student.
/// </summary>
internal sealed class AlaEmbeddingChild(AlaEmbeddingLossFamily family, SideStudent? side, int seed) : AlaChildBase<double[]>(side)
{
    private readonly Generator _generator = new((ulong)(uint)seed);

    /// <summary>Phi_t of this child.</summary>
    public double[] Phi { get; } = family.InitialPhi();

    /// <summary>The latest validation statistics (the next state).</summary>
    public EmbeddingValidationStatistics? Latest { get; set; }

    /// <summary>The statistics the previous decision read (for the change features).</summary>
    public EmbeddingValidationStatistics? Previous { get; set; }

    /// <inheritdoc />
    public override bool HasState => Latest is not null;

    /// <inheritdoc />
    public override double[] SnapshotPhi() => (double[])Phi.Clone();

    /// <inheritdoc />
    public override void SetPhi(double[] phi) => Array.Copy(phi, Phi, Phi.Length);

    /// <summary>Moves Phi(k) by (action - 1) x beta for every element, clamped to the family's bounds; returns the summed |change|.</summary>
    public double Apply(AlaDecision decision, double beta)
    {
        double change = 0;
        for (int r = 0; r < decision.Rows; r++)
        {
            int k = decision.Targets[r, 0];
            double before = Phi[k];
            Phi[k] = Math.Clamp(before + (decision.Actions[r, 0] - 1) * beta, family.Minimum(k), family.Maximum(k));
            change += Math.Abs(Phi[k] - before);
        }
        return change;
    }

    /// <summary>l_{Phi_t} averaged (with example weights) over the state's batch.</summary>
    public override Tensor Loss(StudentState state)
    {
        using var perExample = family.Compute(state.Logits, state.Labels, Phi, _generator);
        return LossReduction.Mean(perExample, state.Weights);
    }

    protected override void ReleaseResources() => _generator.Dispose();
}
