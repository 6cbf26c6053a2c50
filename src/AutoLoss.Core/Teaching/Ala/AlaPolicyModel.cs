using AutoLoss.Core.Teaching;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>
/// ALA's controller pi_theta(a | s): a two-hidden-layer tanh network whose output is, for each element of Phi it
/// acts on, a softmax over the three actions {-beta, 0, +beta}. A learned policy is an artefact: save it with
/// <see cref="Save(Stream)"/>, load it with <see cref="Load(Stream)"/>, and give it to
/// <see cref="AlaLossOptions.PretrainedPolicy"/> to teach a new student (the paper's policy transfer).
/// </summary>
public sealed class AlaPolicyModel : ILearnedLoss
{
    private const string Magic = "AutoLoss.AlaPolicy";
    private const int FormatVersion = 1;

    /// <summary>Inputs per class pair of a <see cref="AlaPolicyKind.PairShared"/> policy (see <see cref="Inputs"/>).</summary>
    public const int PairInputSize = 8;

    private readonly nn.Module<Tensor, Tensor> _network;

    /// <summary>Creates an untrained policy (weights from the global TorchSharp generator; seed it first).</summary>
    /// <param name="kind">Pair-shared or single-network.</param>
    /// <param name="numberOfClasses">C; the single-network policy is bound to it, the pair-shared one only records it (an
    /// element-shared policy records the number of Phi elements it was built for).</param>
    /// <param name="hiddenSize">Width of both hidden layers.</param>
    /// <param name="initialKeepProbability">The untrained policy's probability of the action 0 (keep Phi(i,j)); the
    /// other two share the rest. 1/3 is uniform.</param>
    public AlaPolicyModel(AlaPolicyKind kind, int numberOfClasses, int hiddenSize, double initialKeepProbability = 1.0 / 3)
    {
        if (!(initialKeepProbability > 0 && initialKeepProbability < 1))
            throw new ArgumentOutOfRangeException(nameof(initialKeepProbability), $"The initial keep probability is {initialKeepProbability}; it must be in (0, 1).");
        if (numberOfClasses < 2) throw new ArgumentOutOfRangeException(nameof(numberOfClasses), $"An ALA policy needs at least 2 classes; {numberOfClasses} were given.");
        if (hiddenSize <= 0) throw new ArgumentOutOfRangeException(nameof(hiddenSize), $"The policy's hidden size is {hiddenSize}; it must be positive (e.g. 32).");
        Kind = kind;
        NumberOfClasses = numberOfClasses;
        HiddenSize = hiddenSize;
        int inputs = InputSize, outputs = Heads * 3;
        var last = nn.Linear(hiddenSize, outputs);
        using (no_grad())
        {
            // Small final weights and a bias on "keep": the untrained policy is nearly state-independent, keeps
            // Phi(i,j) with the given probability and moves it either way with equal chances.
            last.weight!.mul_(0.1);
            float keep = (float)Math.Log(2 * initialKeepProbability / (1 - initialKeepProbability));
            var bias = new float[outputs];
            for (int h = 0; h < outputs / 3; h++) bias[3 * h + 1] = keep;
            last.bias!.copy_(tensor(bias));
        }
        _network = nn.Sequential(nn.Linear(inputs, hiddenSize), nn.Tanh(), nn.Linear(hiddenSize, hiddenSize), nn.Tanh(), last);
    }

    /// <summary>Pair-shared or single-network.</summary>
    public AlaPolicyKind Kind { get; }

    /// <summary>The number of classes C the policy was built (or trained) for.</summary>
    public int NumberOfClasses { get; }

    /// <summary>Width of the hidden layers.</summary>
    public int HiddenSize { get; }

    /// <summary>Controller updates (REINFORCE steps) this policy has taken.</summary>
    public int Updates { get; internal set; }

    /// <summary>Values one row of the network reads: 8 for pair-shared, element-shared and global, 3 C^2 + 1 for single-network.</summary>
    public int InputSize => Kind == AlaPolicyKind.SingleNetwork ? 3 * NumberOfClasses * NumberOfClasses + 1 : PairInputSize;

    /// <summary>Elements of Phi one row acts on: 2 (Phi(i,j), Phi(j,i)) for pair-shared, C^2 for single-network, 1 for
    /// element-shared, 2 groups (the diagonal, the off-diagonal) for global.</summary>
    public int Heads => Kind switch
    {
        AlaPolicyKind.PairShared or AlaPolicyKind.Global => 2,
        AlaPolicyKind.ElementShared => 1,
        _ => NumberOfClasses * NumberOfClasses,
    };

    /// <summary>True when the policy can act on a classification task with <paramref name="classes"/> classes (an
    /// element-shared policy acts on embedding losses only).</summary>
    public bool Supports(int classes) => Kind switch
    {
        AlaPolicyKind.PairShared or AlaPolicyKind.Global => classes >= 2,
        AlaPolicyKind.ElementShared => false,
        _ => classes == NumberOfClasses,
    };

    /// <summary>theta, for the controller's optimiser.</summary>
    public IEnumerable<TorchSharp.Modules.Parameter> Parameters() => _network.parameters();

    /// <summary>Action logits [rows, heads, 3] for input rows [rows, <see cref="InputSize"/>].</summary>
    public Tensor Logits(Tensor inputs)
    {
        using var flat = _network.forward(inputs);
        return flat.view(inputs.shape[0], Heads, 3);
    }

    /// <summary>
    /// Builds the network's input rows s_t for a task with C classes (the size of <paramref name="confusion"/>), and for every row and
    /// head the flat index i C + j of the Phi element it acts on (-1: none). Let L = ln(1 + C) elementwise (the
    /// confusion matrix on a log scale) and dL its change since <paramref name="previous"/> (0 without one).
    /// Pair-shared: one row per pair i &lt;= j, [L_ij, L_ji, dL_ij, dL_ji, Phi(i,j), Phi(j,i), progress, 1 if i = j],
    /// head 0 acting on Phi(i,j) and head 1 on Phi(j,i) (none on the diagonal). Global: one row [mean diagonal and mean
    /// off-diagonal of L and of dL, of Phi, progress, 1], head 0 moving the whole diagonal, head 1 the whole off-diagonal. Single-network: one row
    /// [L (row-major), dL, Phi, progress] with head i C + j acting on Phi(i,j).
    /// </summary>
    public (float[] Inputs, int Rows, int[,] Targets) Inputs(double[,] confusion, double[,]? previous, double[,] phi, double progress)
    {
        if (Kind == AlaPolicyKind.ElementShared)
            throw new InvalidOperationException("An element-shared ALA policy acts on embedding losses (AlaEmbeddingLossOptions), not on a confusion matrix.");
        int c = confusion.GetLength(0);
        double L(int i, int j) => Math.Log(1 + confusion[i, j]);
        double D(int i, int j) => previous is null ? 0 : L(i, j) - Math.Log(1 + previous[i, j]);
        if (Kind == AlaPolicyKind.Global)
        {
            double Mean(Func<int, int, double> f, bool diagonal)
            {
                double sum = 0;
                for (int i = 0; i < c; i++)
                    for (int j = 0; j < c; j++)
                        if ((i == j) == diagonal) sum += f(i, j);
                return sum / (diagonal ? c : c * (c - 1));
            }
            double Phi(int i, int j) => phi[i, j];
            float[] row = [(float)Mean(L, true), (float)Mean(L, false), (float)Mean(D, true), (float)Mean(D, false),
                (float)Mean(Phi, true), (float)Mean(Phi, false), (float)progress, 1];
            return (row, 1, new int[,] { { Core.Teaching.Ala.AlaDecision.AllDiagonal, Core.Teaching.Ala.AlaDecision.AllOffDiagonal } });
        }
        if (Kind == AlaPolicyKind.PairShared)
        {
            int rows = c * (c + 1) / 2, r = 0;
            var inputs = new float[rows * PairInputSize];
            var targets = new int[rows, 2];
            for (int i = 0; i < c; i++)
                for (int j = i; j < c; j++, r++)
                {
                    float[] row = [(float)L(i, j), (float)L(j, i), (float)D(i, j), (float)D(j, i), (float)phi[i, j], (float)phi[j, i], (float)progress, i == j ? 1 : 0];
                    row.CopyTo(inputs, r * PairInputSize);
                    targets[r, 0] = i * c + j;
                    targets[r, 1] = i == j ? -1 : j * c + i;
                }
            return (inputs, rows, targets);
        }
        var single = new float[InputSize];
        var heads = new int[1, c * c];
        for (int i = 0; i < c; i++)
            for (int j = 0; j < c; j++)
            {
                int k = i * c + j;
                single[k] = (float)L(i, j);
                single[c * c + k] = (float)D(i, j);
                single[2 * c * c + k] = (float)phi[i, j];
                heads[0, k] = k;
            }
        single[^1] = (float)progress;
        return (single, 1, heads);
    }

    /// <summary>Moves the policy to <paramref name="device"/>; returns this.</summary>
    public AlaPolicyModel To(Device device)
    {
        _network.to(device);
        return this;
    }

    /// <summary>A deep CPU copy.</summary>
    public AlaPolicyModel Clone() => ArtefactStreams.Copy(Save, Load);

    /// <summary>Writes the policy: a header (format, kind, C, hidden size, updates) and theta.</summary>
    public void Save(Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(FormatVersion);
        writer.Write((int)Kind);
        writer.Write(NumberOfClasses);
        writer.Write(HiddenSize);
        writer.Write(Updates);
        var device = _network.parameters().First().device;
        _network.to(CPU);
        try { _network.save(writer); }
        finally { _network.to(device); }
    }

    /// <summary>Writes the policy to a file.</summary>
    public void Save(string path) => ArtefactStreams.SaveToFile(path, Save);

    /// <summary>Reads a policy written by <see cref="Save(Stream)"/> (on the CPU).</summary>
    /// <exception cref="InvalidDataException">The stream is not a saved ALA policy, or is corrupt or of an unknown version.</exception>
    public static AlaPolicyModel Load(Stream stream)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        string magic;
        try { magic = reader.ReadString(); }
        catch (Exception e) when (e is EndOfStreamException or IOException) { throw new InvalidDataException("Not a saved ALA policy (empty or truncated).", e); }
        if (magic != Magic) throw new InvalidDataException("Not a saved ALA policy.");
        int version = reader.ReadInt32();
        if (version != FormatVersion) throw new InvalidDataException($"ALA policy format {version} is not supported (expected {FormatVersion}).");
        int kind = reader.ReadInt32(), classes = reader.ReadInt32(), hidden = reader.ReadInt32(), updates = reader.ReadInt32();
        if (!Enum.IsDefined((AlaPolicyKind)kind) || classes < 2 || classes > 100_000 || hidden <= 0 || hidden > 1 << 16)
            throw new InvalidDataException("Corrupt ALA policy header.");
        var model = new AlaPolicyModel((AlaPolicyKind)kind, classes, hidden) { Updates = updates };
        try
        {
            model._network.load(reader);
        }
        catch (Exception e)
        {
            model.Dispose();
            throw new InvalidDataException("Corrupt ALA policy weights: " + e.Message, e);
        }
        return model;
    }

    /// <summary>Reads a policy from a file.</summary>
    public static AlaPolicyModel Load(string path) => ArtefactStreams.LoadFromFile(path, Load);

    /// <summary>Releases theta.</summary>
    public void Dispose() => _network.Dispose();

    /// <inheritdoc />
    public override string ToString() =>
        $"ALA policy ({Kind}, {NumberOfClasses} {(Kind == AlaPolicyKind.ElementShared ? "Phi elements" : "classes")}, hidden {HiddenSize}, {Updates} updates)";
}
