using CsCheck;
using HyperLaws.Divergence;
using HyperLaws.Evaluation;
using HyperLaws.Planning;
using HyperLaws.Schedules;
using Xunit;

namespace HyperLaws.Tests.Planning;

/// <summary>
/// <see cref="ModelDivergenceGuard.Check"/> evaluates the schedule into a pooled buffer (issue 12): its verdicts are the screen's on
/// a fresh array of the schedule's LRs, bit for bit, also with many checks at once on the shared pool (buffers reused across threads).
/// </summary>
public sealed class PooledGuardCheckTests
{
    private static readonly DivergenceModel Model = new(new CriticalLrRule(Math.Log(3e-3), -0.3, 0.2, -0.1, 0.15, 4));

    private static readonly Gen<(LrSchedule Schedule, PlanTarget Target)> Cases =
        Gen.Int[0, 3].SelectMany(f => Property.LogUniform(1e-4, 3e-2).SelectMany(peak => Gen.Int[50, 20_000].Select(steps =>
        {
            var family = CandidateGrid.Buildable[f];
            var s = Planner.Build(family, peak, steps, Math.Max(1, steps / 50), family == ScheduleFamily.Wsd ? 0.3 : double.NaN, 0)!;
            return (s, new PlanTarget(1e8, steps * 1e6, 1e6, steps));
        })));

    private static DivergenceCheck Fresh(ModelDivergenceGuard guard, LrSchedule s, PlanTarget target)
    {
        var p = guard.Screen(target).Predict(s.Evaluate());
        return new DivergenceCheck(p.Diverges, p.Probability, p.EtaL, p.Ratio);
    }

    [Fact]
    public void A_check_equals_the_screen_on_a_fresh_array()
    {
        var guard = new ScreenDivergenceGuard(Model, "t");
        Property.ForAll(Cases, x => Assert.Equal(Fresh(guard, x.Schedule, x.Target), guard.Check(x.Schedule, x.Target)), iterations: 100);
    }

    [Fact]
    public void Checks_made_at_once_on_the_shared_pool_each_stay_their_own_schedules()
    {
        var guard = new CriticalLrGuard(Model, "t");
        var cases = new List<(LrSchedule Schedule, PlanTarget Target)>();
        Property.ForAll(Cases, cases.Add, iterations: 64);
        var expected = cases.Select(x => Fresh(guard, x.Schedule, x.Target)).ToArray();
        // Four rounds of every case, interleaved across threads: a buffer returned by one check is rented by another at once.
        var got = new DivergenceCheck[4][];
        for (int r = 0; r < got.Length; r++) got[r] = new DivergenceCheck[cases.Count];
        Parallel.For(0, cases.Count * got.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, k =>
            got[k / cases.Count][k % cases.Count] = guard.Check(cases[k % cases.Count].Schedule, cases[k % cases.Count].Target));
        foreach (var round in got) Assert.Equal(expected, round);
    }
}
