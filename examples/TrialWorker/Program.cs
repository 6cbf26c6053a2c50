// A worker of distributed searches (see TrialWorkerHost for the arguments).
await AutoLoss.TrialWorker.TrialWorkerHost.RunAsync(args);
