global using AutoLoss;
global using AutoLoss.Core.Losses;
global using AutoLoss.Core.Metrics;
global using Microsoft.VisualStudio.TestTools.UnitTesting;
