using ControlPanel.Domain.Data;

namespace ControlPanel.Domain.Tests.Data;

public class SharedSecretTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Instances_making_a_secret_at_once_all_end_with_the_one_saved_first(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider);
        var now = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);

        var made = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => SharedSecret.GetOrCreateAsync(database.Factory, "test", 32, now))));

        Assert.All(made, secret => Assert.Equal(made[0], secret));
        Assert.Equal(32, made[0].Length);
        Assert.Equal(made[0], await SharedSecret.GetOrCreateAsync(database.Factory, "test", 32, now));
        Assert.NotEqual(made[0], await SharedSecret.GetOrCreateAsync(database.Factory, "other", 32, now));
    }
}
