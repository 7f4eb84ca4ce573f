using System.Security.Claims;
using ControlPanel.Domain.Accounts;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ControlPanel.Web.Components.Account;

/// <summary>
/// Re-checks a circuit's user and browser sign-in against the database: at once when the change feed says the user's
/// sign-ins changed on any instance (signed out, a new security stamp, disabled, removed; <see cref="SignInEndings"/>), and
/// every few minutes as a backstop. A circuit that no longer passes is signed out, so the tabs of a browser that signed out
/// (or of other browsers, after the user's own password change) stop working within seconds, and the acting browser's go on.
/// </summary>
internal sealed class RevalidatingAuthenticationStateProvider : RevalidatingServerAuthenticationStateProvider
{
    private readonly IServiceScopeFactory _scopes;
    private readonly IOptions<IdentityOptions> _options;
    private readonly IDisposable _watch;

    public RevalidatingAuthenticationStateProvider(ILoggerFactory loggerFactory, IServiceScopeFactory scopes, IOptions<IdentityOptions> options, SignInEndings endings)
        : base(loggerFactory)
    {
        _scopes = scopes;
        _options = options;
        _watch = endings.Watch(SignInsEndedAsync);
    }

    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(5);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ControlPanelUser>>();
        var user = await users.GetUserAsync(state.User);
        if (user is null || await users.IsLockedOutAsync(user)) return false;
        // The circuit's own browser sign-in decides: ended (signed out) or left at an old stamp by a change made elsewhere.
        if (ViewerClaims.SignInId(state.User) is { } signIn)
            return await scope.ServiceProvider.GetRequiredService<SignIns>().IsCurrentAsync(signIn, user);
        if (!users.SupportsUserSecurityStamp) return true;
        var principalStamp = state.User.FindFirstValue(_options.Value.ClaimsIdentity.SecurityStampClaimType);
        return principalStamp == await users.GetSecurityStampAsync(user);
    }

    /// <summary>Some user's sign-ins ended: when it is this circuit's user and they no longer pass, sign the circuit out.</summary>
    private async Task SignInsEndedAsync(string userId)
    {
        AuthenticationState state;
        try
        {
            state = await GetAuthenticationStateAsync();
        }
        catch (InvalidOperationException)
        {
            return; // The circuit has no user yet.
        }
        if (state.User.FindFirstValue(_options.Value.ClaimsIdentity.UserIdClaimType) != userId) return;
        if (await ValidateAuthenticationStateAsync(state, CancellationToken.None)) return;
        SetAuthenticationState(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity()))));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _watch.Dispose();
        base.Dispose(disposing);
    }
}
