namespace ControlPanel.Domain.Tests;

/// <summary>Measures what code allocates on the calling thread.</summary>
public static class Allocations
{
    /// <summary>
    /// The fewest bytes <paramref name="run"/> allocated on this thread in any of <paramref name="rounds"/> rounds. The runtime's
    /// own one-off work (tiering a method up while the test runs) can land in one round; code that allocates does in every round.
    /// </summary>
    public static long Fewest(Action run, int rounds = 3)
    {
        var fewest = long.MaxValue;
        for (var round = 0; round < rounds; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            run();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return fewest;
    }
}
