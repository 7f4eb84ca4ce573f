using System.Text.RegularExpressions;
using ControlPanel.Tests;

namespace ControlPanel.Domain.Tests.Accounts;

/// <summary>
/// Issue 23: the account pages only collect input and call the domain's services. A page that reaches for Identity's
/// managers or the database again would hold a rule of its own; the cookie is issued through the web's CookieSignIn,
/// which signs in only what the domain decided, so no page needs Identity's sign-in manager either.
/// </summary>
public sealed partial class AccountPagesTests
{
    // Any mention, not only @inject: a page could also pull one from the service provider or a cascading parameter.
    [GeneratedRegex(@"\b(UserManager|SignInManager|ControlPanelUserManager|ControlPanelSignInManager|RoleManager|DbContext|ControlPanelDbContext|IDbContextFactory)\b")]
    private static partial Regex IdentityOrDatabase();

    [Fact]
    public void No_account_page_touches_Identitys_managers_or_the_database()
    {
        var folder = Repository.Path("src", "ControlPanel.Web", "Components", "Account");
        var pages = Directory.GetFiles(folder, "*.razor", SearchOption.AllDirectories);
        // The scan must see the pages, or it passes for nothing.
        Assert.Contains(pages, p => p.EndsWith("Login.razor", StringComparison.Ordinal));
        Assert.True(pages.Length >= 15, $"only {pages.Length} pages under {folder}");

        var offences = pages
            .SelectMany(page => File.ReadLines(page).Select((line, i) => (page, line, number: i + 1)))
            .Where(l => IdentityOrDatabase().IsMatch(l.line))
            .Select(l => $"{Path.GetRelativePath(folder, l.page)}:{l.number}: {l.line.Trim()}")
            .ToList();
        Assert.True(offences.Count == 0, "Account pages call domain services (and CookieSignIn for the cookie), not these:\n" + string.Join("\n", offences));
    }
}
