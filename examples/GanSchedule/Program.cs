using System.Diagnostics;
using System.Globalization;
using AutoLoss.ML.Datasets;
using GanSchedule;

// A GAN on the embedded digits, with three ways to decide, step by step, whether the discriminator or the generator
// takes the next optimiser step: fixed 1:1, fixed 5:1, and AutoLoss's learned schedule controller. Every schedule
// gets the same number of optimiser steps; samples are scored by an AdaptiveLoss digits classifier and saved as PNG grids.
int steps = Option("--steps", 4000);
int seed = Option("--seed", 1);
double learningRate = Option("--lr-micro", 200) * 1e-6;
string outDir = args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault() ?? "gan-output";
Directory.CreateDirectory(outDir);

var digits = Digits.LoadArrays();
var trainImages = digits.GatherFeatures(digits.TrainIndices);
var quality = SampleQuality.Train(seed);
var realScore = quality.Measure(digits.GatherFeatures(digits.TestIndices), 1000);
Console.WriteLine($"Real test digits: inception-style score {realScore.Score:F2}, {realScore.ClassesCovered} of 10 classes.");

var results = new List<(string Name, int DSteps, int GSteps, double Score, int Classes, double Seconds)>();
foreach (var schedule in new[] { new FixedSchedule(1), new FixedSchedule(5) })
{
    var clock = Stopwatch.StartNew();
    using var gan = new Gan(trainImages, digits.TrainIndices.Length, seed, learningRate);
    int d = 0, g = 0;
    for (int step = 0; step < steps; step++)
    {
        if (schedule.NextIsDiscriminator()) { gan.StepDiscriminator(); d++; }
        else { gan.StepGenerator(); g++; }
    }
    results.Add(Report(schedule.Name, gan, d, g, clock.Elapsed.TotalSeconds));
}

Console.WriteLine();
Console.WriteLine($"| schedule | D steps | G steps | inception-style score (max 10; real digits {realScore.Score:F2}) | classes covered | seconds |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
foreach (var r in results)
    Console.WriteLine($"| {r.Name} | {r.DSteps} | {r.GSteps} | {r.Score:F2} | {r.Classes} | {r.Seconds:F1} |");
Console.WriteLine($"Sample grids: {Path.GetFullPath(outDir)}/samples-*.png");
return 0;

(string, int, int, double, int, double) Report(string name, Gan gan, int d, int g, double seconds)
{
    var samples = gan.Sample(1000, seed + 1);
    var (score, classes) = quality.Measure(samples, 1000);
    string file = Path.Combine(outDir, $"samples-{name.Replace(' ', '-').Replace(":", "to")}.png");
    PngGrid.Write(file, samples, 10, 10);
    Console.WriteLine($"{name}: {d} discriminator and {g} generator steps, score {score:F2}, {classes} classes, {seconds:F1} s -> {file}");
    return (name, d, g, score, classes, seconds);
}

int Option(string name, int fallback)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}
