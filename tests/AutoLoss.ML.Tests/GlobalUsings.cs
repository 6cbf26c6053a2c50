global using Microsoft.VisualStudio.TestTools.UnitTesting;
global using AutoLoss.Core.Metrics;
global using AutoLoss.Core.Losses;
global using AutoLoss;
