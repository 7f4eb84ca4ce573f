using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Tests;

/// <summary>The domain as the host wires it (<see cref="ControlPanelDomain.AddControlPanelDomain"/>), over a throwaway database and a test's clock.</summary>
public static class TestDomain
{
    /// <summary>
    /// One instance's services. Several built over the same database stand for several instances. <paramref name="configure"/>
    /// runs last, so what it registers (options, see <see cref="UseOptions{T}"/>) replaces the defaults.
    /// </summary>
    public static ServiceProvider Build(
        TestDatabase database, TimeProvider clock, Action<IServiceCollection>? configure = null, ServiceProviderOptions? providerOptions = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = database.Options.Provider.ToString(),
            ["Database:ConnectionString"] = database.Options.ConnectionString,
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton(clock);
        services.AddLogging();
        // The host keeps its key ring in the database; a test's secrets live as long as its services.
        services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        services.AddControlPanelDomain();
        configure?.Invoke(services);
        return services.BuildServiceProvider(providerOptions ?? new ServiceProviderOptions());
    }

    /// <summary>Gives the services these options instead of the configured ones.</summary>
    public static IServiceCollection UseOptions<T>(this IServiceCollection services, T value) where T : class =>
        services.AddSingleton<IOptions<T>>(Options.Create(value));
}
