using ControlPanel.Domain.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Domain.Tests.Data;

public class DatabaseKeyRingTests
{
    /// <summary>Data Protection as an instance of the app sets it up, over the given key ring.</summary>
    private static IDataProtector Protector(DatabaseKeyRing ring)
    {
        var services = new ServiceCollection();
        services.AddDataProtection().SetApplicationName("ControlPanel");
        services.Configure<KeyManagementOptions>(options => options.XmlRepository = ring);
        return services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>().CreateProtector("test");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task What_one_instance_protects_another_can_read(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider);

        var secret = Protector(new DatabaseKeyRing(database.Factory, null)).Protect("whsec_example");

        Assert.Equal("whsec_example", Protector(new DatabaseKeyRing(database.Factory, null)).Unprotect(secret));
        await using var db = database.CreateContext();
        Assert.Single(db.DataProtectionKeys);
    }

    [Fact]
    public async Task Keys_kept_as_files_by_earlier_versions_are_moved_into_the_database()
    {
        using var database = await TestDatabase.CreateMigratedAsync();
        var folder = Directory.CreateDirectory(Path.Combine(database.Folder, "keys"));
        var services = new ServiceCollection();
        services.AddDataProtection().SetApplicationName("ControlPanel").PersistKeysToFileSystem(folder);
        var secret = services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("kept");

        Assert.Equal("kept", Protector(new DatabaseKeyRing(database.Factory, folder)).Unprotect(secret));
        Assert.Equal("kept", Protector(new DatabaseKeyRing(database.Factory, null)).Unprotect(secret));
    }
}
