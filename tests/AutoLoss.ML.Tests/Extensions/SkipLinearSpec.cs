using TorchSharp;
using static TorchSharp.torch;

namespace AutoLoss.ML.Tests.Extensions;

/// <summary>A student architecture defined in test code only: one hidden tanh layer plus a linear skip from the
/// input, f(x) = W2 tanh(W1 x + b1) + b2 + S x. It saves and loads through <see cref="StudentSpecRegistry"/> and offers
/// its functional form, so L2T-DLF can unroll it.</summary>
internal sealed class SkipLinearSpec : StudentSpec, IFunctionalStudent
{
    public const string Tag = "test-skip-linear";

    public int Hidden { get; init; } = 12;

    public static void Register() => StudentSpecRegistry.Register(Tag, ReadSettings);

    public override nn.Module<Tensor, Tensor> Build(int inputSize, int outputSize) => new Network(inputSize, Hidden, outputSize);

    public override void Validate(string optionName)
    {
        if (Hidden <= 0) throw new ArgumentOutOfRangeException(optionName, $"{optionName}.Hidden must be positive.");
    }

    public override string ToString() => $"SkipLinear({Hidden})";

    protected override string TypeTag => Tag;

    protected override void WriteSettings(BinaryWriter writer) => writer.Write(Hidden);

    private static StudentSpec ReadSettings(BinaryReader reader) => new SkipLinearSpec { Hidden = reader.ReadInt32() };

    public IReadOnlyList<long[]> ParameterShapes(int inputSize, int outputSize) =>
        [[Hidden, inputSize], [Hidden], [outputSize, Hidden], [outputSize], [outputSize, inputSize]];

    public Tensor Forward(Tensor input, IReadOnlyList<Tensor> p, bool training)
    {
        using var hidden = nn.functional.linear(input, p[0], p[1]);
        using var activated = hidden.tanh();
        using var output = nn.functional.linear(activated, p[2], p[3]);
        using var skip = nn.functional.linear(input, p[4]);
        return output.add(skip);
    }

    public long ActivationsPerRow(int inputSize, int outputSize) => 2L * Hidden + 2L * outputSize;

    /// <summary>The module; its parameters() order matches <see cref="ParameterShapes"/>.</summary>
    private sealed class Network : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> _first, _second, _skip;

        public Network(int inputs, int hidden, int outputs) : base(nameof(SkipLinearSpec))
        {
            _first = nn.Linear(inputs, hidden);
            _second = nn.Linear(hidden, outputs);
            _skip = nn.Linear(inputs, outputs, hasBias: false);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var hidden = _first.forward(input);
            using var activated = hidden.tanh();
            using var output = _second.forward(activated);
            using var skip = _skip.forward(input);
            return output.add(skip);
        }
    }
}
