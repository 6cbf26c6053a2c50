using AutoLoss.Core.Teaching.L2tDlf;
namespace AutoLoss;

/// <summary>What an L2T-DLF run reports after every epoch (<see cref="L2tDlfLossOptions.EpochCompleted"/>).</summary>
/// <param name="Episode">Zero-based student index: teacher episodes first, then the final student.</param>
/// <param name="IsFinal">True for the student the run returns.</param>
/// <param name="Epoch">Zero-based epoch of that student.</param>
/// <param name="DevError">Error rate on the validation data (0..1), or null without validation data.</param>
/// <param name="PhiDiagonalMean">Mean diagonal of the latest Phi_t.</param>
/// <param name="PhiOffDiagonalMean">Mean off-diagonal of the latest Phi_t (positive: a label-smoothing-like pull on the other classes).</param>
/// <param name="PhiOffDiagonalMeanAbs">Mean |off-diagonal| of the latest Phi_t.</param>
/// <param name="Bias">The latest b_t.</param>
/// <param name="TeacherUpdates">Teacher updates (steps on theta) so far.</param>
public sealed record L2tDlfEpochReport(int Episode, bool IsFinal, int Epoch, double? DevError,
    double PhiDiagonalMean, double PhiOffDiagonalMean, double PhiOffDiagonalMeanAbs, double Bias, int TeacherUpdates);
