using AutoLoss.Core.Teaching;
using AutoLoss.Core.Teaching.L2tDlf;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>
/// The L2T-DLF teacher mu_theta: a small network mapping the student state s_t (see
/// <see cref="L2tDlfState"/>) to the loss parameters (Phi_t, b_t) of the dynamic loss
/// l_{Phi_t} = -sigmoid(y^T Phi_t log p + b_t). Phi_t = Phi_0 + (output reshaped to C x C) and
/// b_t = <see cref="InitialBias"/> + (last output), with the output layer initialised to zero, so an
/// untrained teacher gives Phi_t = Phi_0 (<see cref="InitialPhi"/>, the identity unless chosen) and b_t = ln C. Save it with <see cref="Save(Stream)"/> and reuse
/// it (frozen) for another student through <see cref="L2tDlfLossOptions.PretrainedTeacher"/>.
/// </summary>
public sealed class L2tDlfTeacherModel : ILearnedLoss
{
    private const string Magic = "AutoLoss.L2tDlfTeacher";
    private const int FormatVersion = 2;
    private readonly nn.Module<Tensor, Tensor> _net;
    private readonly nn.Module<Tensor, Tensor> _hidden;
    private readonly nn.Module<Tensor, Tensor> _output;

    private readonly double[] _initialPhi;

    /// <summary>Creates an untrained teacher (Phi = <paramref name="initialPhi"/>, b = <paramref name="initialBias"/>) on the CPU in float32.</summary>
    /// <param name="numberOfClasses">Number of classes C (Phi_t is C x C).</param>
    /// <param name="hiddenSize">Width of the teacher's hidden layer.</param>
    /// <param name="initialBias">b_0; null means ln C x (mean row sum of Phi_0), the sigmoid's centre for an untrained student (p = 1/C).</param>
    /// <param name="initialPhi">Phi_0, C x C and finite; null means the identity.</param>
    /// <param name="fixedScale">See <see cref="FixedScale"/>.</param>
    public L2tDlfTeacherModel(int numberOfClasses, int hiddenSize, double? initialBias = null, double[,]? initialPhi = null, bool fixedScale = false)
    {
        if (numberOfClasses < 2) throw new ArgumentOutOfRangeException(nameof(numberOfClasses), $"L2T-DLF needs at least 2 classes; got {numberOfClasses}.");
        if (hiddenSize <= 0) throw new ArgumentOutOfRangeException(nameof(hiddenSize), $"The teacher's hidden size is {hiddenSize}; it must be positive (e.g. 32).");
        if (initialPhi is not null && (initialPhi.GetLength(0) != numberOfClasses || initialPhi.GetLength(1) != numberOfClasses))
            throw new ArgumentException($"Phi_0 must be {numberOfClasses} x {numberOfClasses}; got {initialPhi.GetLength(0)} x {initialPhi.GetLength(1)}.", nameof(initialPhi));
        _initialPhi = new double[numberOfClasses * numberOfClasses];
        for (int i = 0; i < numberOfClasses; i++)
            for (int j = 0; j < numberOfClasses; j++)
                _initialPhi[i * numberOfClasses + j] = initialPhi?[i, j] ?? (i == j ? 1 : 0);
        if (_initialPhi.Any(v => !double.IsFinite(v))) throw new ArgumentOutOfRangeException(nameof(initialPhi), "Phi_0 must be finite.");
        double bias = initialBias ?? Math.Log(numberOfClasses) * _initialPhi.Sum() / numberOfClasses;
        if (!double.IsFinite(bias)) throw new ArgumentOutOfRangeException(nameof(initialBias), "The initial bias must be finite.");
        NumberOfClasses = numberOfClasses;
        HiddenSize = hiddenSize;
        FixedScale = fixedScale;
        InitialBias = bias;
        StateDescription = L2tDlfState.Describe(numberOfClasses);
        _hidden = nn.Linear(StateSize, hiddenSize);
        _output = nn.Linear(hiddenSize, numberOfClasses * numberOfClasses + 1);
        using (no_grad())
        {
            _output.parameters().ToList().ForEach(p => p.zero_());
        }
        _net = nn.Sequential(("hidden", _hidden), ("tanh", nn.Tanh()), ("output", _output));
    }

    /// <summary>Number of classes C.</summary>
    public int NumberOfClasses { get; }

    /// <summary>Width of the hidden layer of mu_theta.</summary>
    public int HiddenSize { get; }

    /// <summary>b_0, the bias an untrained teacher outputs (ln C by default).</summary>
    public double InitialBias { get; }

    /// <summary>When true the teacher only reshapes the loss: the learned part Delta_t = Phi_t - Phi_0 is
    /// projected to zero diagonal mean and zero off-diagonal mean, and b_t stays b_0. Its mean diagonal, mean
    /// off-diagonal and bias (the loss's overall scale and its pull on the other classes) stay those of Phi_0 and b_0,
    /// and the teacher moves weight between classes and class pairs.</summary>
    public bool FixedScale { get; }

    /// <summary>Phi_0, what an untrained teacher outputs (a copy).</summary>
    public double[,] InitialPhi
    {
        get
        {
            int c = NumberOfClasses;
            var phi = new double[c, c];
            for (int i = 0; i < c; i++)
                for (int j = 0; j < c; j++)
                    phi[i, j] = _initialPhi[i * c + j];
            return phi;
        }
    }

    /// <summary>Length of s_t (4 + C).</summary>
    public int StateSize => L2tDlfState.Size(NumberOfClasses);

    /// <summary>Names of the values of s_t the teacher was trained on (saved with it).</summary>
    public IReadOnlyList<string> StateDescription { get; }

    /// <summary>How many teacher updates (steps on theta) produced this model.</summary>
    public int TeacherUpdates { get; internal set; }

    /// <summary>The parameters theta (for an optimiser).</summary>
    public IEnumerable<TorchSharp.Modules.Parameter> Parameters() => _net.parameters();

    /// <summary>Device of theta.</summary>
    public Device Device => _hidden.parameters().First().device;

    /// <summary>dtype of theta.</summary>
    public ScalarType DType => _hidden.parameters().First().dtype;

    /// <summary>Moves theta to a device and dtype (e.g. float64 for gradient checks).</summary>
    public L2tDlfTeacherModel To(Device device, ScalarType dtype)
    {
        _net.to(dtype).to(device);
        return this;
    }

    /// <summary>mu_theta(s_t): returns Phi_t [C, C] and b_t (scalar), with graph to theta (and to s_t).</summary>
    /// <param name="state">s_t, shape [4 + C], dtype and device of theta.</param>
    public (Tensor Phi, Tensor Bias) Forward(Tensor state)
    {
        if (state.dim() != 1 || state.shape[0] != StateSize)
            throw new ArgumentException($"The state s_t must be a vector of {StateSize} values; got shape [{string.Join(",", state.shape)}].", nameof(state));
        if (state.dtype != DType)
            throw new ArgumentException($"The state s_t is {state.dtype} but theta is {DType}.", nameof(state));
        using var scope = NewDisposeScope();
        int c = NumberOfClasses;
        var output = _net.forward(state.unsqueeze(0)).squeeze(0);
        var phi0 = tensor(_initialPhi, [c, c]).to_type(DType).to(state.device);
        var delta = output.narrow(0, 0, c * c).reshape(c, c);
        var bias = output[c * c].add(InitialBias);
        if (FixedScale)
        {
            var eyeC = eye(c, dtype: DType, device: state.device);
            var diagonal = delta.mul(eyeC);
            var offDiagonal = delta.sub(diagonal);
            delta = diagonal.sub(eyeC.mul(diagonal.sum().div(c)))
                .add(offDiagonal.sub(ones_like(delta).sub(eyeC).mul(offDiagonal.sum().div(c * (c - 1)))));
            bias = full([], InitialBias, dtype: DType, device: state.device);
        }
        // Multiplicative, so no entry of Phi_t ever changes sign: a negative off-diagonal Phi(y, j) would let the
        // student saturate the sigmoid by driving p_j to 0 instead of raising p_y.
        var phi = phi0.mul(delta.exp());
        return (phi.MoveToOuterDisposeScope(), bias.MoveToOuterDisposeScope());
    }

    /// <summary>Phi_t and b_t for a given state vector s_t (no gradient), as plain arrays.</summary>
    public (double[,] Phi, double Bias) Evaluate(double[] state)
    {
        if (state.Length != StateSize)
            throw new ArgumentException($"The state s_t must have {StateSize} values ({string.Join("; ", StateDescription)}); got {state.Length}.", nameof(state));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var s = tensor(state).to_type(DType).to(Device);
        var (phi, bias) = Forward(s);
        var values = phi.to_type(ScalarType.Float64).cpu().data<double>().ToArray();
        var result = new double[NumberOfClasses, NumberOfClasses];
        for (int i = 0; i < NumberOfClasses; i++)
            for (int j = 0; j < NumberOfClasses; j++)
                result[i, j] = values[i * NumberOfClasses + j];
        return (result, bias.to_type(ScalarType.Float64).item<double>());
    }

    /// <summary>An independent copy of this teacher (same theta) on the CPU in float32.</summary>
    public L2tDlfTeacherModel Clone()
    {
        var copy = ArtefactStreams.Copy(Save, Load);
        copy.TeacherUpdates = TeacherUpdates;
        return copy;
    }

    /// <summary>Writes the teacher: a header (format, C, hidden size, b_0, Phi_0, the s_t layout) and theta.</summary>
    public void Save(Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(FormatVersion);
        writer.Write(NumberOfClasses);
        writer.Write(HiddenSize);
        writer.Write(InitialBias);
        foreach (double v in _initialPhi) writer.Write(v);
        writer.Write(FixedScale);
        writer.Write(TeacherUpdates);
        writer.Write(StateDescription.Count);
        foreach (var name in StateDescription) writer.Write(name);
        var parameters = _net.named_parameters().ToList();
        writer.Write(parameters.Count);
        foreach (var (name, p) in parameters)
        {
            writer.Write(name);
            var values = p.detach().to_type(ScalarType.Float64).cpu().data<double>().ToArray();
            writer.Write(values.Length);
            foreach (double v in values) writer.Write(v);
        }
    }

    /// <summary>Writes the teacher to a file.</summary>
    public void Save(string path) => ArtefactStreams.SaveToFile(path, Save);

    /// <summary>Reads a teacher written by <see cref="Save(Stream)"/> (CPU, float32).</summary>
    /// <exception cref="InvalidDataException">The stream is not a saved L2T-DLF teacher or is corrupt.</exception>
    public static L2tDlfTeacherModel Load(Stream stream)
    {
        try
        {
            return Read(stream);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("Not a saved L2T-DLF teacher (truncated stream).", e);
        }
    }

    private static L2tDlfTeacherModel Read(Stream stream)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        string magic;
        try { magic = reader.ReadString(); }
        catch (Exception e) when (e is EndOfStreamException or IOException) { throw new InvalidDataException("Not a saved L2T-DLF teacher (empty or truncated stream).", e); }
        if (magic != Magic) throw new InvalidDataException("Not a saved L2T-DLF teacher.");
        int version = reader.ReadInt32();
        if (version is < 1 or > FormatVersion) throw new InvalidDataException($"L2T-DLF teacher format {version} is not supported (expected 1 to {FormatVersion}).");
        int c = reader.ReadInt32(), hidden = reader.ReadInt32();
        double bias = reader.ReadDouble();
        if (c < 2 || c > 10_000 || hidden <= 0 || hidden > 1_000_000 || !double.IsFinite(bias))
            throw new InvalidDataException($"Corrupt L2T-DLF teacher header (C = {c}, hidden = {hidden}).");
        // Format 1 had no Phi_0: its teachers started from the identity.
        var phi0 = new double[c, c];
        for (int i = 0; i < c; i++)
            for (int j = 0; j < c; j++)
                phi0[i, j] = version >= 2 ? reader.ReadDouble() : i == j ? 1 : 0;
        if (phi0.Cast<double>().Any(v => !double.IsFinite(v))) throw new InvalidDataException("Corrupt L2T-DLF teacher: Phi_0 is not finite.");
        bool fixedScale = version >= 2 && reader.ReadBoolean();
        int updates = reader.ReadInt32();
        int described = reader.ReadInt32();
        var description = new string[Math.Max(0, described)];
        for (int i = 0; i < description.Length; i++) description[i] = reader.ReadString();
        if (!description.SequenceEqual(L2tDlfState.Describe(c)))
            throw new InvalidDataException("The saved teacher reads a different student-state layout s_t than this version computes.");
        var model = new L2tDlfTeacherModel(c, hidden, bias, phi0, fixedScale) { TeacherUpdates = updates };
        try
        {
            var parameters = model._net.named_parameters().ToList();
            if (reader.ReadInt32() != parameters.Count) throw new InvalidDataException("Corrupt L2T-DLF teacher: wrong parameter count.");
            using var noGrad = no_grad();
            foreach (var (name, p) in parameters)
            {
                if (reader.ReadString() != name) throw new InvalidDataException($"Corrupt L2T-DLF teacher: expected parameter '{name}'.");
                int n = reader.ReadInt32();
                if (n != p.numel()) throw new InvalidDataException($"Corrupt L2T-DLF teacher: parameter '{name}' has {n} values, expected {p.numel()}.");
                var values = new double[n];
                for (int i = 0; i < n; i++) values[i] = reader.ReadDouble();
                using var t = tensor(values, p.shape).to_type(p.dtype);
                p.copy_(t);
            }
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Reads a teacher from a file.</summary>
    public static L2tDlfTeacherModel Load(string path) => ArtefactStreams.LoadFromFile(path, Load);

    /// <inheritdoc />
    public void Dispose() => _net.Dispose();
}
