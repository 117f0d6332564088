using HyperLaws.Laws;

namespace HyperLaws.Validation;

/// <summary>
/// A design check of the joint law's size terms on protocol 2's training sizes only (<see cref="CrossSize.CheckOnTrainingSizes"/>;
/// it never reads the 400M curves).
/// </summary>
/// <param name="InSamplePredE">PredE over the 18 curves of 25M and 100M, fitted on all of them.</param>
/// <param name="SplitPredE">Protocol 1's split pooled over the two sizes: fitted on cosine_24000, constant_24000 and wsdcon_9 of each size, PredE over the other six of each (12 curves).</param>
/// <param name="InSampleNoiseExponent">n_N of the in-sample fit (0 when not fitted).</param>
/// <param name="SplitNoiseExponent">n_N of the split's fit (0 when not fitted).</param>
/// <param name="InSampleFit">The in-sample fit itself (the joint law on the 18 curves), for its other parameters and its stop reason.</param>
public sealed record TrainingSizeCheck(double InSamplePredE, double SplitPredE, double InSampleNoiseExponent, double SplitNoiseExponent, LawFit InSampleFit);
