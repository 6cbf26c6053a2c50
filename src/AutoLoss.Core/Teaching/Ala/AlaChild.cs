using AutoLoss.Core.Losses;
using AutoLoss.Core.Training;
using static TorchSharp.torch;

namespace AutoLoss.Core.Teaching.Ala;

/// <summary>
/// One child model of ALA's multi-network mode: its own Phi_t, the validation measurements of its current window,
/// its last window metric M_t, and the decision still waiting for its reward. The run's own student is a child
/// without a <see cref="AlaChildBase{TPhi}.Side"/> student (the training loop drives it).
/// </summary>
internal sealed class AlaChild : AlaChildBase<double[,]>
{
    private readonly int _classes;
    private readonly Device _device;
    private readonly double _scale;
    private Tensor? _phi, _rowBias;

    public AlaChild(double[,] phi0, double scale, Device device, SideStudent? side) : base(side)
    {
        _classes = phi0.GetLength(0);
        _scale = scale;
        _device = device;
        Phi = (double[,])phi0.Clone();
    }

    /// <summary>Phi_t of this child.</summary>
    public double[,] Phi { get; }

    /// <summary>The latest validation view (its confusion matrix is the next state).</summary>
    public AlaValidationView? Latest { get; set; }

    /// <summary>The confusion matrix of the previous decision's state (for the change features).</summary>
    public double[,]? PreviousConfusion { get; set; }

    /// <summary>Moves Phi(i,j) by (action - 1) x beta for every acted-on element, clamped to the bounds; returns the
    /// summed |change|.</summary>
    public double Apply(AlaDecision decision, double beta, double minDiagonal, double maxDiagonal, double maxOffDiagonal)
    {
        double change = 0;
        void Move(int i, int j, int action)
        {
            double before = Phi[i, j];
            double moved = before + (action - 1) * beta;
            Phi[i, j] = i == j ? Math.Clamp(moved, minDiagonal, maxDiagonal) : Math.Clamp(moved, 0, maxOffDiagonal);
            change += Math.Abs(Phi[i, j] - before);
        }
        for (int r = 0; r < decision.Rows; r++)
            for (int h = 0; h < decision.Targets.GetLength(1); h++)
            {
                int target = decision.Targets[r, h], action = decision.Actions[r, h];
                if (target >= 0)
                    Move(target / _classes, target % _classes, action);
                else if (target is AlaDecision.AllDiagonal or AlaDecision.AllOffDiagonal)
                    for (int i = 0; i < _classes; i++)
                        for (int j = 0; j < _classes; j++)
                            if ((i == j) == (target == AlaDecision.AllDiagonal)) Move(i, j, action);
            }
        DisposeTensors();
        return change;
    }

    /// <inheritdoc />
    public override bool HasState => Latest is not null;

    /// <inheritdoc />
    public override double[,] SnapshotPhi() => (double[,])Phi.Clone();

    /// <summary>Sets Phi_t to <paramref name="phi"/> (a replayed value).</summary>
    public override void SetPhi(double[,] phi)
    {
        Array.Copy(phi, Phi, phi.Length);
        DisposeTensors();
    }

    /// <summary>s x l_{Phi_t} averaged (with example weights) over the state's batch: -s sigmoid(y^T Phi_t (log p + ln C)).</summary>
    public override Tensor Loss(StudentState state)
    {
        if (_phi is null)
        {
            var flat = new float[_classes * _classes];
            var bias = new float[_classes];
            double lnC = Math.Log(_classes);
            for (int i = 0; i < _classes; i++)
                for (int j = 0; j < _classes; j++)
                {
                    flat[i * _classes + j] = (float)Phi[i, j];
                    bias[i] += (float)(lnC * Phi[i, j]);
                }
            _phi = Data.AlignedTensor.From(flat, [_classes, _classes], _device).DetachFromDisposeScope();
            _rowBias = Data.AlignedTensor.From(bias, [_classes], _device).DetachFromDisposeScope();
        }
        using var b = _rowBias!.index_select(0, state.Labels);
        using var perExample = ParametricLoss.PerExample(state.Logits, state.Labels, _phi, b);
        if (_scale == 1) return LossReduction.Mean(perExample, state.Weights);
        using var mean = LossReduction.Mean(perExample, state.Weights);
        return mean.mul(_scale);
    }

    protected override void ReleaseResources() => DisposeTensors();

    private void DisposeTensors()
    {
        _phi?.Dispose();
        _rowBias?.Dispose();
        _phi = _rowBias = null;
    }

}

/// <summary>A controller decision for one child: the policy's input rows, the sampled action per row and head, and
/// which Phi element each head acts on (a flat index, <see cref="None"/>, or a whole group of elements).</summary>
internal sealed record AlaDecision(float[] Inputs, int Rows, int[,] Actions, int[,] Targets)
{
    /// <summary>The head acts on nothing.</summary>
    public const int None = -1;

    /// <summary>The head moves every diagonal element of Phi together.</summary>
    public const int AllDiagonal = -2;

    /// <summary>The head moves every off-diagonal element of Phi together.</summary>
    public const int AllOffDiagonal = -3;
}
