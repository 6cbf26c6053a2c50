using ScottPlot;

namespace AutoLoss.ML.Benchmarks;

/// <summary>PNG charts of benchmark results (ScottPlot).</summary>
internal static class Plots
{
    private static readonly string[] Palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"];

    /// <summary>Mean test error per method with ± one sample standard deviation as error bars.</summary>
    public static void AccuracyBars(string path, string task, IReadOnlyList<AccuracyResult> results)
    {
        var plot = new Plot();
        var bars = results.Select((r, i) => new Bar
        {
            Position = i,
            Value = r.MeanError,
            Error = r.StdError,
            FillColor = Color.FromHex(Palette[i % Palette.Length]),
        }).ToList();
        plot.Add.Bars(bars);
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        plot.Axes.Bottom.SetTicks(
            results.Select((_, i) => (double)i).ToArray(),
            results.Select(r => string.Format(inv, "{0}\n{1:F2} ± {2:F2} % (n={3})", r.Method, r.MeanError, r.StdError, r.Seeds)).ToArray());
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Margins(bottom: 0);
        plot.YLabel("test error (%)");
        plot.Title($"{task}: test error, mean ± std over seeds");
        plot.Layout.Fixed(new PixelPadding(70, 20, 70, 45));
        plot.SavePng(path, 800, 500);
    }

    /// <summary>Training throughput of the trainer and of the bare TorchSharp loop.</summary>
    public static void ThroughputBars(string path, IReadOnlyList<(string Name, double RowsPerSecond)> items, string title)
    {
        var plot = new Plot();
        var bars = items.Select((item, i) => new Bar
        {
            Position = i,
            Value = item.RowsPerSecond,
            FillColor = Color.FromHex(Palette[i % Palette.Length]),
            Label = item.RowsPerSecond.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
        }).ToList();
        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks(items.Select((_, i) => (double)i).ToArray(), items.Select(x => x.Name).ToArray());
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Margins(bottom: 0);
        plot.YLabel("training rows / s (median)");
        plot.Title(title);
        plot.SavePng(path, 800, 500);
    }

    /// <summary>Curves y(x), one per series, with a legend (800 x 500 PNG).</summary>
    public static void Curves(string path, string title, string xLabel, string yLabel, params (string Legend, double[] X, double[] Y)[] series)
    {
        var plot = new Plot();
        foreach (var (legend, x, y) in series) plot.Add.Scatter(x, y).LegendText = legend;
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.Title(title);
        plot.ShowLegend();
        plot.SavePng(path, 800, 500);
    }
}
