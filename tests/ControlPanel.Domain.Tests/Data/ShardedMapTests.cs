using ControlPanel.Domain.Data;

namespace ControlPanel.Domain.Tests.Data;

public class ShardedMapTests
{
    [Fact]
    public void An_update_sets_and_removes_only_its_own_entries()
    {
        var map = new ShardedMap<int, string>();
        var builder = new ShardedMap<int, string>.Builder();
        for (var i = 0; i < 5000; i++) builder.Set(i, $"v{i}");
        map.Replace(builder);

        map.Update([1, 2, 9999], [KeyValuePair.Create(3, "three"), KeyValuePair.Create(6000, "new")]);

        Assert.Equal(5000 - 2 + 1, map.Count);
        Assert.False(map.TryGetValue(1, out _));
        Assert.Null(map.GetValueOrDefault(2));
        Assert.Equal("three", map.GetValueOrDefault(3));
        Assert.Equal("new", map.GetValueOrDefault(6000));
        Assert.Equal("v4999", map.GetValueOrDefault(4999));
        Assert.Equal(map.Count, map.Values.Count());
    }

    [Fact]
    public void A_replace_drops_what_the_builder_does_not_hold()
    {
        var map = new ShardedMap<Guid, string>();
        var kept = Guid.NewGuid();
        map.Update([], [KeyValuePair.Create(Guid.NewGuid(), "old")]);
        var builder = new ShardedMap<Guid, string>.Builder();
        builder.Set(kept, "kept");

        map.Replace(builder);

        Assert.Equal(["kept"], map.Values);
        Assert.Equal(1, map.Count);
        Assert.Throws<InvalidOperationException>(() => builder.Set(Guid.NewGuid(), "again"));
    }

    [Fact]
    public void A_lookup_allocates_nothing()
    {
        var map = new ShardedMap<Guid, string>();
        var id = Guid.NewGuid();
        map.Update([], [KeyValuePair.Create(id, "x")]);
        map.TryGetValue(id, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++) map.TryGetValue(id, out _);

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}
