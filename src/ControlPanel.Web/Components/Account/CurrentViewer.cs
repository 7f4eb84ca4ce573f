using ControlPanel.Domain.Accounts;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace ControlPanel.Web.Components.Account;

/// <summary>
/// The signed-in user as the domain sees them, for pages to hand to domain services: staff with their role, a member with
/// their role in the account the page's address names (<c>?account=</c>), or in the first they joined when it names none.
/// </summary>
public sealed class CurrentViewer(AuthenticationStateProvider authentication, NavigationManager navigation, AccountMembers members)
{
    /// <summary>The query parameter that names the account a member acts in; the layout keeps it on every link (<see cref="Layout.AccountSwitcher"/>).</summary>
    public const string AccountParameter = "account";

    /// <summary>The browser's address when the page was requested; recorded in the audit log.</summary>
    public string? ClientIp { get; set; }

    /// <summary>The viewer, read afresh (the sign-in from the circuit, the role from the database) on every call.</summary>
    public async Task<Viewer> GetAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        var person = ViewerClaims.ToViewer(state.User) ?? throw new AccessDeniedException();
        var viewer = await members.ActingAsync(person, AccountIn(navigation.Uri));
        return viewer with { ClientIp = ClientIp };
    }

    /// <summary>The account an address names, or null when it names none (or something that is not an id).</summary>
    public static Guid? AccountIn(string uri)
    {
        var query = new Uri(new Uri("http://localhost/"), uri).Query;
        return Guid.TryParse(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query).TryGetValue(AccountParameter, out var value) ? value.ToString() : null,
            out var id) ? id : null;
    }
}
