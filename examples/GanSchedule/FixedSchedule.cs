namespace GanSchedule;

/// <summary>The classic hand-set schedule: k discriminator steps, then one generator step, repeated.</summary>
internal sealed class FixedSchedule(int discriminatorStepsPerGeneratorStep)
{
    private int _position;

    public string Name => $"fixed {discriminatorStepsPerGeneratorStep}:1";

    /// <summary>True when the next optimiser step should be the discriminator's.</summary>
    public bool NextIsDiscriminator()
    {
        bool discriminator = _position < discriminatorStepsPerGeneratorStep;
        _position = (_position + 1) % (discriminatorStepsPerGeneratorStep + 1);
        return discriminator;
    }
}
