using ControlPanel.Domain.Accounts;
using Microsoft.AspNetCore.Components.Authorization;

namespace ControlPanel.Web.Components.Account;

/// <summary>The signed-in user as the domain sees them, for pages to hand to domain services.</summary>
public sealed class CurrentViewer(AuthenticationStateProvider authentication)
{
    /// <summary>The browser's address when the page was requested; recorded in the audit log.</summary>
    public string? ClientIp { get; set; }

    /// <summary>The viewer, read afresh from the circuit's authentication state on every call.</summary>
    public async Task<Viewer> GetAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        var viewer = ViewerClaims.ToViewer(state.User) ?? throw new AccessDeniedException();
        return viewer with { ClientIp = ClientIp };
    }
}
