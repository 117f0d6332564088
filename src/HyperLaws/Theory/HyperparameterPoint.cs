namespace HyperLaws.Theory;

/// <summary>A point (eta, alpha, b) at budget T with its proxy value. Momentum beta = 1 - alpha; K = T/b.</summary>
public sealed record HyperparameterPoint(double LearningRate, double Alpha, double BatchSize, double Tokens, double Proxy)
{
    /// <summary>The momentum beta = 1 - alpha.</summary>
    public double Momentum => 1.0 - Alpha;

    /// <summary>The number of iterations K = T / b.</summary>
    public double Iterations => Tokens / BatchSize;

    /// <summary>Builds the point with eta at its exact optimum for (alpha, b) and the proxy evaluated there.</summary>
    public static HyperparameterPoint WithOptimalLearningRate(LmoProxy proxy, double alpha, double batch, double tokens)
    {
        double eta = proxy.OptimalLearningRate(alpha, batch, tokens);
        return new HyperparameterPoint(eta, alpha, batch, tokens, proxy.Evaluate(eta, alpha, batch, tokens));
    }

    /// <summary>Largest relative difference in eta, alpha and b between two points.</summary>
    public double MaxRelativeArgumentGap(HyperparameterPoint other) =>
        new[] { Rel(LearningRate, other.LearningRate), Rel(Alpha, other.Alpha), Rel(BatchSize, other.BatchSize) }.Max();

    /// <summary>|P - P_other| / P_other.</summary>
    public double RelativeProxyGap(HyperparameterPoint other) => Rel(Proxy, other.Proxy);

    private static double Rel(double a, double b) => Math.Abs(a - b) / Math.Abs(b);
}
