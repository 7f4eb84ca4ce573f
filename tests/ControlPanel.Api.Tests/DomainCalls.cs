using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TestApplication = ControlPanel.Api.Tests.ControlPanelFactory.TestApplication;

namespace ControlPanel.Api.Tests;

/// <summary>
/// Test data and changes made through the domain services, one scope per call as a request has:
/// over the app in process (<see cref="ControlPanelFactory"/>) or a cluster's shared database
/// (<see cref="Cluster.AppCluster"/>).
/// </summary>
public static class DomainCalls
{
    /// <summary>Runs a scoped domain service (admin controls, allowlists, key service...).</summary>
    public static async Task<T> UseAsync<TService, T>(this IServiceProvider services, Func<TService, Task<T>> action) where TService : notnull
    {
        await using var scope = services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public static async Task UseAsync<TService>(this IServiceProvider services, Func<TService, Task> action) where TService : notnull
    {
        await using var scope = services.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    /// <summary>A new account with one application and its first key pair, made by <paramref name="admin"/>.</summary>
    public static async Task<TestApplication> CreateApplicationAsync(this IServiceProvider services, Viewer admin, ApplicationEnvironment environment)
    {
        var accountId = Guid.NewGuid();
        await using (var db = await services.GetRequiredService<IDbContextFactory<ControlPanelDbContext>>().CreateDbContextAsync())
        {
            // Accounts are made by customer registration (Identity); the tests need only the row.
            db.Accounts.Add(new Account { Id = accountId, Name = $"Account {accountId:N}"[..20], CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }
        var created = await services.UseAsync<ApplicationService, ApplicationService.Created>(applications => applications.CreateAsync(admin,
            new ApplicationService.Form { Name = "App " + accountId.ToString("N")[..6], Environment = environment, AccountId = accountId }));
        return new TestApplication(accountId, created.Application.Id, created.Keys);
    }
}
