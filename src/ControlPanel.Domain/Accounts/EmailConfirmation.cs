using System.ComponentModel.DataAnnotations;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Email;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Accounts;

/// <summary>Whether owners must confirm their address before their account may create keys (configured by the host).</summary>
public sealed class EmailConfirmationOptions
{
    public bool Required { get; set; }
}

/// <summary>
/// Confirmed sign-ups: a new owner is mailed a link (Identity's email-confirmation token) in the registration's
/// transaction; until they follow it, and while <see cref="EmailConfirmationOptions.Required"/>, their account
/// cannot create keys. The link can be sent again from the account page.
/// </summary>
public sealed class EmailConfirmation(
    ControlPanelDbContext db, UserManager<ControlPanelUser> users, IOptions<EmailConfirmationOptions> policy,
    IOptions<DataProtectionTokenProviderOptions> tokens, IOptions<EmailOptions> email, TimeProvider clock)
{
    /// <summary>Links one user may be sent per hour.</summary>
    public const int MailsPerHour = 5;

    public const string NotConfirmed = "Confirm your email address before creating keys: follow the link we mailed you, or send a new one from your account page.";

    public sealed record Status(string Email, bool Confirmed, bool Required);

    public bool Required => policy.Value.Required;

    /// <summary>How long a link works.</summary>
    public TimeSpan LinkLifetime => tokens.Value.TokenLifespan;

    public async Task<Status> StatusAsync(Viewer viewer)
    {
        var user = await users.FindByIdAsync(viewer.UserId) ?? throw new AccessDeniedException();
        return new Status(user.Email ?? "", user.EmailConfirmed, Required);
    }

    /// <summary>Adds the confirmation mail to the caller's unit of work (the registration's transaction).</summary>
    public async Task QueueAsync(ControlPanelUser user)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var link = PublicLinks.ConfirmEmail(email.Value, user.Id, await users.GenerateEmailConfirmationTokenAsync(user));
        MailOutbox.Add(db, MailKinds.ConfirmEmail, user.Email!, MailTemplates.ConfirmEmail(user.DisplayName, link, LinkLifetime), now, user.Id);
    }

    /// <summary>Sends the signed-in user a new link, at most <see cref="MailsPerHour"/> an hour.</summary>
    public async Task ResendAsync(Viewer viewer)
    {
        var user = await users.FindByIdAsync(viewer.UserId) ?? throw new AccessDeniedException();
        if (user.EmailConfirmed) throw new ValidationException("Your email address is already confirmed.");
        var now = clock.GetUtcNow().UtcDateTime;
        if (await MailOutbox.CountSinceAsync(db, MailKinds.ConfirmEmail, user.Id, now.AddHours(-1)) >= MailsPerHour)
            throw new ValidationException("Several links were sent in the last hour: use the newest one, or try again later.");
        await QueueAsync(user);
        await db.SaveChangesAsync();
    }

    /// <summary>Confirms the address a link was sent to; false for a bad or expired link.</summary>
    public async Task<bool> ConfirmAsync(string? userId, string? token)
    {
        if (string.IsNullOrEmpty(userId) || string.IsNullOrEmpty(token)) return false;
        var user = await users.FindByIdAsync(userId);
        if (user is null) return false;
        if (user.EmailConfirmed) return true;
        await using var transaction = await db.Database.BeginTransactionAsync();
        if (!(await users.ConfirmEmailAsync(user, token)).Succeeded) return false;
        var role = (await users.GetRolesAsync(user)).FirstOrDefault() ?? "";
        AuditLog.Record(db, new Viewer(user.Id, user.DisplayName, role, user.AccountId), clock.GetUtcNow().UtcDateTime,
            AuditActions.EmailConfirmed, user.AccountId, null, $"{user.Email} confirmed their email address");
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return true;
    }

    /// <summary>An access token is a credential like a key: whoever registered an address they do not own gets none.</summary>
    public const string NotConfirmedForTokens = "Confirm your email address before making access tokens: follow the link we mailed you, or send a new one from your account page.";

    /// <summary>Refuses a member who has not confirmed their address, when confirmation is required. Called where keys and access tokens are issued.</summary>
    public static async Task EnsureMayIssueKeysAsync(ControlPanelDbContext db, Viewer viewer, EmailConfirmationOptions? policy, string message = NotConfirmed)
    {
        if (policy is not { Required: true } || !viewer.IsMember) return;
        if (!await db.Users.AnyAsync(u => u.Id == viewer.UserId && u.EmailConfirmed))
            throw new ValidationException(message);
    }
}
