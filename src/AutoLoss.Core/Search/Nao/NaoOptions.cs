namespace AutoLoss;

/// <summary>Settings of <see cref="AutoLoss.Core.Search.Nao.NaoStrategy"/>. Defaults are the paper's shape scaled to short CPU trials.</summary>
public sealed class NaoOptions
{
    /// <summary>Random architectures evaluated before the controller first learns. Default 40.</summary>
    public int SeedArchitectures { get; set; } = 40;

    /// <summary>Rounds of controller training and optimisation after the seed. Default 3.</summary>
    public int Rounds { get; set; } = 3;

    /// <summary>New architectures proposed per round. Default 20.</summary>
    public int NewPerRound { get; set; } = 20;

    /// <summary>The best architectures of the pool whose embeddings are moved each round. Default 20.</summary>
    public int TopArchitectures { get; set; } = 20;

    /// <summary>lambda in lambda * MSE + (1 - lambda) * reconstruction. Default 0.8 (the paper's).</summary>
    public double TradeOff { get; set; } = 0.8;

    /// <summary>Size of the embedding e_x. Default 16.</summary>
    public int EmbeddingSize { get; set; } = 16;

    /// <summary>Hidden units of the encoder, predictor and decoder. Default 64.</summary>
    public int HiddenSize { get; set; } = 64;

    /// <summary>Passes over the pool per controller training. Default 300.</summary>
    public int ControllerEpochs { get; set; } = 300;

    /// <summary>Adam's learning rate for the controller. Default 0.001 (the paper's).</summary>
    public double ControllerLearningRate { get; set; } = 1e-3;

    /// <summary>Equivalent sequences added per architecture when the controller trains (the paper's augmentation). Default 2.</summary>
    public int AugmentationCopies { get; set; } = 2;

    /// <summary>The first step size eta along grad f; doubled until the decoded architecture is new. Default 0.5.</summary>
    public double InitialStepSize { get; set; } = 0.5;

    /// <summary>Largest number of doublings of eta before an embedding is given up. Default 8.</summary>
    public int MaxStepDoublings { get; set; } = 8;

    /// <summary>Architectures with more trainable parameters are never proposed; null (default) for no limit.</summary>
    public long? MaxParameters { get; set; }

    /// <summary>Features the students read (for the parameter count). Default 784.</summary>
    public int InputSize { get; set; } = 784;

    /// <summary>Outputs the students write (for the parameter count). Default 10.</summary>
    public int OutputSize { get; set; } = 10;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        static void Require(bool ok, string name, object value, string range)
        {
            if (!ok) throw new ArgumentOutOfRangeException(name, value, $"{name} is {value}; it must be {range}.");
        }
        Require(SeedArchitectures >= 2, nameof(SeedArchitectures), SeedArchitectures, "at least 2 (default 40)");
        Require(Rounds >= 0, nameof(Rounds), Rounds, "at least 0 (default 3)");
        Require(NewPerRound >= 1, nameof(NewPerRound), NewPerRound, "at least 1 (default 20)");
        Require(TopArchitectures >= 1, nameof(TopArchitectures), TopArchitectures, "at least 1 (default 20)");
        Require(TradeOff is >= 0 and <= 1, nameof(TradeOff), TradeOff, "in [0, 1] (default 0.8)");
        Require(EmbeddingSize >= 1, nameof(EmbeddingSize), EmbeddingSize, "at least 1 (default 16)");
        Require(HiddenSize >= 1, nameof(HiddenSize), HiddenSize, "at least 1 (default 64)");
        Require(ControllerEpochs >= 1, nameof(ControllerEpochs), ControllerEpochs, "at least 1 (default 300)");
        Require(ControllerLearningRate > 0, nameof(ControllerLearningRate), ControllerLearningRate, "positive (default 0.001)");
        Require(AugmentationCopies >= 0, nameof(AugmentationCopies), AugmentationCopies, "at least 0 (default 2)");
        Require(InitialStepSize > 0, nameof(InitialStepSize), InitialStepSize, "positive (default 0.5)");
        Require(MaxStepDoublings >= 0, nameof(MaxStepDoublings), MaxStepDoublings, "at least 0 (default 8)");
        Require(MaxParameters is null or > 0, nameof(MaxParameters), MaxParameters ?? 0, "positive, or null for no limit");
        Require(InputSize >= 1 && OutputSize >= 1, nameof(InputSize), InputSize, "at least 1, with OutputSize at least 1");
    }
}
