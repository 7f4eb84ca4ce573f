using System.Security.Claims;
using Bunit.TestDoubles;
using ControlPanel.Domain.Accounts;
using ControlPanel.Web;
using ControlPanel.Web.Components.Account;
using ControlPanel.Web.Components.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MudBlazor;
using MudBlazor.Services;

namespace ControlPanel.Components.Tests;

/// <summary>
/// A bUnit context over the app's own service graph (<see cref="Hosting.AddControlPanel"/>) on a throwaway
/// SQLite database: nothing of the domain is mocked. Sign in as a role, render, assert what that role sees.
/// </summary>
public abstract class ComponentTest : IAsyncLifetime
{
    public const string AdminEmail = "admin@components.test";
    public const string Password = "Component-password-1";

    private readonly string databasePath = Path.Combine(Path.GetTempPath(), $"cp-components-{Guid.NewGuid():N}.db");
    private WebApplication? app;

    /// <summary>The app, built and never started: for mapping what a page reads from its endpoints (the gateway's routes).</summary>
    protected WebApplication App => app ?? throw new InvalidOperationException("Not initialised yet.");
    private AsyncServiceScope scope;
    private BunitAuthorizationContext authorization = default!;
    private bool hostsRendered;

    protected BunitContext Context { get; } = new();

    /// <summary>The app's services (one scope for the whole test), for making test data through the domain.</summary>
    protected IServiceProvider Services => scope.ServiceProvider;

    /// <summary>Where dialogs render: pages open them through IDialogService.</summary>
    protected IRenderedComponent<MudDialogProvider> DialogHost { get; private set; } = default!;

    /// <summary>Where popovers (MudSelect's choices, menus) render.</summary>
    protected IRenderedComponent<MudPopoverProvider> Popovers { get; private set; } = default!;

    /// <summary>Where snackbars (confirmations, refusals) render.</summary>
    protected IRenderedComponent<MudSnackbarProvider> Snackbars { get; private set; } = default!;

    public Viewer Admin { get; private set; } = default!;

    /// <summary>The host environment the app runs in (Production unless a test class says otherwise).</summary>
    protected virtual string EnvironmentName => Environments.Production;

    /// <summary>
    /// Puts the pages on <see cref="PageClock"/>, a clock the test moves, so their refresh timers tick when the test advances
    /// it, never by waiting. The domain's services keep the app's real clock.
    /// </summary>
    protected virtual bool UsesPageClock => false;

    /// <summary>The pages' clock when <see cref="UsesPageClock"/>; it starts at the real time now.</summary>
    protected FakeClock PageClock { get; } = new();

    /// <summary>Configuration a test class adds to the app's (a gateway section, say).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings => [];

    public virtual async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = EnvironmentName,
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = typeof(Hosting).Assembly.GetName().Name,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:ConnectionString"] = $"Data Source={databasePath}",
            ["Bootstrap:AdminEmail"] = AdminEmail,
            ["Bootstrap:AdminPassword"] = Password,
        });
        builder.Configuration.AddInMemoryCollection(Settings);
        builder.AddControlPanel();
        app = builder.Build();
        await app.PrepareDatabaseAsync();
        scope = app.Services.CreateAsyncScope();

        // The circuit's own services come from bUnit: its JS runtime, its authentication state and MudBlazor's
        // dialog and snackbar services, shared with the providers rendered below. The rest is the app's graph.
        Context.JSInterop.Mode = JSRuntimeMode.Loose;
        if (UsesPageClock) Context.Services.AddSingleton<TimeProvider>(PageClock);
        Context.Services.AddMudServices(options => SnackbarSettings.Apply(options.SnackbarConfiguration));
        Context.Services.AddScoped<CurrentViewer>();
        // CurrentViewer asks the domain for a member's role; bUnit builds it from its own container, which sees only what is registered here.
        Context.Services.AddSingleton(scope.ServiceProvider.GetRequiredService<AccountMembers>());
        Context.Services.AddScoped<ChangeRunner>();
        // Validation attributes get their services from the validation context, which sees only what is registered here.
        Context.Services.AddSingleton(scope.ServiceProvider.GetRequiredService<PasswordRules>());
        Context.Services.AddFallbackServiceProvider(scope.ServiceProvider);
        authorization = Context.AddAuthorization();
        // Pages run in an interactive Server circuit.
        Context.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));

        var users = Services.GetRequiredService<UserManager<ControlPanelUser>>();
        var admin = await users.FindByEmailAsync(AdminEmail) ?? throw new InvalidOperationException("The bootstrap Admin was not created.");
        Admin = new Viewer(admin.Id, admin.DisplayName ?? AdminEmail, Roles.Admin, null);
    }

    public virtual async Task DisposeAsync()
    {
        await Context.DisposeAsync();
        await scope.DisposeAsync();
        if (app is not null) await app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(databasePath)!, Path.GetFileName(databasePath) + "*"))
            File.Delete(file);
    }

    /// <summary>Makes the next render see <paramref name="viewer"/> signed in, with the claims the real sign-in gives.</summary>
    protected void SignIn(Viewer viewer)
    {
        authorization.SetAuthorized(viewer.Name);
        authorization.SetRoles(viewer.Role);
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, viewer.UserId), new(ViewerClaims.DisplayName, viewer.Name) };
        if (viewer.AccountId is { } accountId) claims.Add(new Claim(ViewerClaims.AccountId, accountId.ToString()));
        authorization.SetClaims([.. claims]);
    }

    /// <summary>Renders a page or component with the dialog, popover and snackbar hosts the layout provides.</summary>
    protected IRenderedComponent<TComponent> Render<TComponent>(Action<ComponentParameterCollectionBuilder<TComponent>>? parameters = null)
        where TComponent : IComponent
    {
        RenderHosts();
        return parameters is null ? Context.Render<TComponent>() : Context.Render(parameters);
    }

    /// <summary>Renders the popover, dialog and snackbar hosts once, as the layout would (not needed when rendering the layout itself).</summary>
    protected void RenderHosts()
    {
        if (hostsRendered) return;
        hostsRendered = true;
        Popovers = Context.Render<MudPopoverProvider>();
        DialogHost = Context.Render<MudDialogProvider>();
        Snackbars = Context.Render<MudSnackbarProvider>();
    }

    /// <summary>Runs a scoped domain service in a fresh scope, as a request would.</summary>
    protected async Task<T> UseAsync<TService, T>(Func<TService, Task<T>> action) where TService : notnull
    {
        await using var serviceScope = app!.Services.CreateAsyncScope();
        return await action(serviceScope.ServiceProvider.GetRequiredService<TService>());
    }

    /// <summary>A customer who registered an account (organisation) and owns it.</summary>
    protected async Task<Viewer> NewOwnerAsync(string accountName)
    {
        var (result, owner) = await UseAsync<Registration, (IdentityResult, ControlPanelUser?)>(registration => registration.RegisterOwnerAsync(new Registration.Form
        {
            AccountName = accountName,
            DisplayName = $"Owner of {accountName}",
            Email = $"owner-{Guid.NewGuid():N}@components.test",
            Password = Password,
            ConfirmPassword = Password,
        }));
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
        return new Viewer(owner!.Id, owner.DisplayName!, Roles.Owner, owner.AccountId);
    }

    /// <summary>A person the account's Owner invited with <paramref name="role"/>, who accepted as someone new.</summary>
    protected async Task<Viewer> NewMemberAsync(Viewer owner, string role)
    {
        var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@components.test";
        var issued = await UseAsync<MemberInvitations, MemberInvitations.Issued>(invitations =>
            invitations.InviteAsync(owner, owner.AccountId!.Value, new MemberInvitations.Form { Email = email, Role = role }));
        var token = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(issued.Link.Query)["token"].ToString();
        var (result, user) = await UseAsync<MemberInvitations, (IdentityResult, ControlPanelUser?)>(invitations =>
            invitations.AcceptAsNewAsync(token, $"{role} person", Password));
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
        return new Viewer(user!.Id, $"{role} person", role, owner.AccountId);
    }

    /// <summary>A staff member invited by the Admin who accepted the invitation.</summary>
    protected async Task<Viewer> NewStaffAsync(string role)
    {
        var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@components.test";
        var (result, invitation) = await UseAsync<StaffInvitations, (IdentityResult, StaffInvitations.Invitation?)>(invitations =>
            invitations.InviteAsync(Admin, new StaffInvitations.Form { Email = email, DisplayName = $"{role} person", Role = role }));
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
        var accepted = await UseAsync<StaffInvitations, IdentityResult>(invitations => invitations.AcceptAsync(invitation!.UserId, invitation.Token, Password));
        Assert.True(accepted.Succeeded);
        return new Viewer(invitation!.UserId, $"{role} person", role, null);
    }
}
