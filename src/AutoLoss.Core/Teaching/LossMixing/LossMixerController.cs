using AutoLoss.Core.Teaching;
using AutoLoss.Core.Teaching.LossMixing;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoLoss;

/// <summary>
/// The learned artefact of <see cref="LossMixingOptions"/>: the controller network V that maps an example's state s_i
/// (the candidate losses' values, the class probabilities, the label) to logits alpha_i over the K candidate losses,
/// alpha_i = W2 relu(W1 s_i + b1) + b2. Its output layer starts at zero, so an untrained controller mixes the candidates
/// uniformly. Save it to reuse it frozen on another student or dataset (<see cref="LossMixingOptions.PretrainedController"/>).
/// </summary>
public sealed class LossMixerController : ILearnedLoss
{
    private const string Magic = "AutoLoss.LossMixerController";
    private const int FormatVersion = 1;
    private readonly nn.Module<Tensor, Tensor> _net;

    /// <summary>An untrained controller (uniform mix) on the CPU.</summary>
    /// <param name="candidateNames">Names of the K candidate losses, in order.</param>
    /// <param name="numberOfClasses">C, the task's number of classes (2 for binary).</param>
    /// <param name="hiddenSize">Width of the hidden layer.</param>
    /// <exception cref="ArgumentException">Fewer than two candidates, fewer than two classes, or a hidden size below 1.</exception>
    public LossMixerController(IReadOnlyList<string> candidateNames, int numberOfClasses, int hiddenSize)
    {
        ArgumentNullException.ThrowIfNull(candidateNames);
        if (candidateNames.Count < 2) throw new ArgumentException("A loss controller chooses among at least two candidate losses.", nameof(candidateNames));
        ArgumentOutOfRangeException.ThrowIfLessThan(numberOfClasses, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenSize, 1);
        CandidateNames = candidateNames.ToArray();
        NumberOfClasses = numberOfClasses;
        HiddenSize = hiddenSize;
        var output = nn.Linear(hiddenSize, candidateNames.Count);
        using (no_grad())
        {
            output.weight!.zero_();
            output.bias!.zero_();
        }
        _net = nn.Sequential(("hidden", nn.Linear(StateSize, hiddenSize)), ("relu", nn.ReLU()), ("output", output));
    }

    /// <summary>Names of the candidate losses the controller chooses among, in the order of its outputs.</summary>
    public IReadOnlyList<string> CandidateNames { get; }

    /// <summary>C, the number of classes of the task it was made for.</summary>
    public int NumberOfClasses { get; }

    /// <summary>Width of the hidden layer.</summary>
    public int HiddenSize { get; }

    /// <summary>Length of the state s_i it reads: K + 2C.</summary>
    public int StateSize => LossMixerState.Size(CandidateNames.Count, NumberOfClasses);

    /// <summary>Controller updates it has taken.</summary>
    public int Updates { get; internal set; }

    /// <summary>The trainable parameters V.</summary>
    public IEnumerable<TorchSharp.Modules.Parameter> Parameters() => _net.parameters();

    /// <summary>Moves the controller (in place) and returns it.</summary>
    public LossMixerController To(Device device)
    {
        _net.to(device, ScalarType.Float32);
        return this;
    }

    /// <summary>alpha [B, K] for states [B, <see cref="StateSize"/>] (float32, on the controller's device).</summary>
    public Tensor Forward(Tensor state) => _net.call(state);

    /// <summary>The mixing probabilities softmax(alpha) (no Gumbel noise, temperature 1) the controller gives one example,
    /// from the candidates' loss values, the class probabilities and the label.</summary>
    /// <exception cref="ArgumentException">The lengths do not match the controller, or the label is out of range.</exception>
    public double[] Probabilities(double[] candidateValues, double[] classProbabilities, int label)
    {
        ArgumentNullException.ThrowIfNull(candidateValues);
        ArgumentNullException.ThrowIfNull(classProbabilities);
        if (candidateValues.Length != CandidateNames.Count) throw new ArgumentException($"Expected {CandidateNames.Count} candidate values.", nameof(candidateValues));
        if (classProbabilities.Length != NumberOfClasses) throw new ArgumentException($"Expected {NumberOfClasses} class probabilities.", nameof(classProbabilities));
        if (label < 0 || label >= NumberOfClasses) throw new ArgumentOutOfRangeException(nameof(label), label, $"The label must be in 0..{NumberOfClasses - 1}.");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var device = _net.parameters().First().device;
        var values = tensor(candidateValues.Select(v => (float)v).ToArray(), [1, candidateValues.Length]).to(device);
        var logits = tensor(classProbabilities.Select(p => (float)Math.Log(Math.Max(p, 1e-12))).ToArray(), [1, NumberOfClasses]).to(device);
        var labels = tensor(new long[] { label }).to(device);
        var alpha = Forward(LossMixerState.Compute(values, logits, labels, NumberOfClasses));
        return nn.functional.softmax(alpha, 1).to_type(ScalarType.Float64).cpu().data<double>().ToArray();
    }

    /// <summary>A deep copy on the CPU.</summary>
    public LossMixerController Clone()
    {
        var copy = ArtefactStreams.Copy(Save, Load);
        copy.Updates = Updates;
        return copy;
    }

    /// <summary>Writes the controller: a header (format, candidates, C, hidden size, the state layout) and V.</summary>
    public void Save(Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(FormatVersion);
        writer.Write(CandidateNames.Count);
        foreach (var name in CandidateNames) writer.Write(name);
        writer.Write(NumberOfClasses);
        writer.Write(HiddenSize);
        writer.Write(Updates);
        var layout = LossMixerState.Describe(CandidateNames, NumberOfClasses);
        writer.Write(layout.Count);
        foreach (var name in layout) writer.Write(name);
        var parameters = _net.named_parameters().ToList();
        writer.Write(parameters.Count);
        ulong checksum = Fnv.Offset;
        foreach (var (name, p) in parameters)
        {
            writer.Write(name);
            var values = p.detach().to_type(ScalarType.Float32).cpu().data<float>().ToArray();
            writer.Write(values.Length);
            foreach (float v in values)
            {
                writer.Write(v);
                checksum = Fnv.Add(checksum, v);
            }
        }
        writer.Write(checksum);
    }

    /// <summary>64-bit FNV-1a over the parameters' bits, so a damaged value is refused instead of loaded.</summary>
    private static class Fnv
    {
        public const ulong Offset = 14695981039346656037UL;

        public static ulong Add(ulong hash, float value)
        {
            uint bits = BitConverter.SingleToUInt32Bits(value);
            for (int i = 0; i < 4; i++, bits >>= 8) hash = (hash ^ (bits & 0xFF)) * 1099511628211UL;
            return hash;
        }
    }

    /// <summary>Writes the controller to a file (atomically: a complete file or none).</summary>
    public void Save(string path) => ArtefactStreams.SaveToFile(path, Save);

    /// <summary>Reads a controller written by <see cref="Save(Stream)"/> (CPU, float32).</summary>
    /// <exception cref="InvalidDataException">The stream is not a saved loss controller, or it is damaged.</exception>
    public static LossMixerController Load(Stream stream)
    {
        try
        {
            return Read(stream);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("Not a saved loss controller (truncated stream).", e);
        }
    }

    /// <summary>Reads a controller from a file.</summary>
    public static LossMixerController Load(string path) => ArtefactStreams.LoadFromFile(path, Load);

    private static LossMixerController Read(Stream stream)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        string magic;
        try { magic = reader.ReadString(); }
        catch (Exception e) when (e is EndOfStreamException or IOException) { throw new InvalidDataException("Not a saved loss controller (empty or truncated stream).", e); }
        if (magic != Magic) throw new InvalidDataException("Not a saved loss controller.");
        int version = reader.ReadInt32();
        if (version != FormatVersion) throw new InvalidDataException($"Loss controller format {version} is not supported (expected {FormatVersion}).");
        int k = reader.ReadInt32();
        if (k < 2 || k > 1000) throw new InvalidDataException($"Corrupt loss controller: {k} candidates.");
        var names = new string[k];
        for (int i = 0; i < k; i++) names[i] = reader.ReadString();
        int classes = reader.ReadInt32(), hidden = reader.ReadInt32(), updates = reader.ReadInt32();
        if (classes < 2 || classes > 10_000 || hidden < 1 || hidden > 100_000 || updates < 0)
            throw new InvalidDataException($"Corrupt loss controller header (C = {classes}, hidden = {hidden}).");
        var layout = new string[Math.Max(0, reader.ReadInt32())];
        for (int i = 0; i < layout.Length; i++) layout[i] = reader.ReadString();
        if (!layout.SequenceEqual(LossMixerState.Describe(names, classes)))
            throw new InvalidDataException("The saved loss controller reads a different state layout than this version computes.");
        var model = new LossMixerController(names, classes, hidden) { Updates = updates };
        try
        {
            var parameters = model._net.named_parameters().ToList();
            if (reader.ReadInt32() != parameters.Count) throw new InvalidDataException("Corrupt loss controller: wrong parameter count.");
            using var noGrad = no_grad();
            ulong checksum = Fnv.Offset;
            foreach (var (name, p) in parameters)
            {
                if (reader.ReadString() != name) throw new InvalidDataException($"Corrupt loss controller: expected parameter '{name}'.");
                int n = reader.ReadInt32();
                if (n != p.numel()) throw new InvalidDataException($"Corrupt loss controller: parameter '{name}' has {n} values, expected {p.numel()}.");
                var values = new float[n];
                for (int i = 0; i < n; i++) checksum = Fnv.Add(checksum, values[i] = reader.ReadSingle());
                if (values.Any(v => !float.IsFinite(v))) throw new InvalidDataException($"Corrupt loss controller: parameter '{name}' is not finite.");
                using var t = tensor(values, p.shape);
                p.copy_(t);
            }
            if (reader.ReadUInt64() != checksum) throw new InvalidDataException("Corrupt loss controller: the parameters do not match their checksum.");
            if (stream.CanSeek && stream.Position != stream.Length) throw new InvalidDataException("Corrupt loss controller: data after the parameters.");
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _net.Dispose();
}
