using AutoLoss.Core.Training;
using static TorchSharp.torch;

namespace AutoLoss.Core.Teaching.Ala;

/// <summary>
/// One window of K steps of a side child (a student trained beside the run's own, <see cref="SideStudent"/>): it
/// trains in chunks of the validation interval, measuring after each chunk like the run's student, on another thread
/// when allowed.
/// </summary>
internal static class AlaSideWindow
{
    /// <summary>Runs the window; returns its task when it runs on another thread, null when it already ran.</summary>
    public static Task? Start(SideStudent side, int steps, int interval, int epochs, Func<StudentState, Tensor> loss, Action measure,
        bool concurrently, CancellationToken token)
    {
        void Window()
        {
            for (int done = 0; done < steps;)
            {
                int taken = side.TrainSteps(Math.Min(interval, steps - done), epochs, loss, token);
                if (taken == 0) return; // the side child's budget is spent
                done += taken;
                measure();
            }
        }
        if (!concurrently)
        {
            Window();
            return null;
        }
        return Task.Factory.StartNew(Window, token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Waits for a window started on another thread, rethrowing its failure as it was thrown.</summary>
    public static void Wait(Task? running)
    {
        if (running is null) return;
        try { running.Wait(); }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }
}
