using System.ComponentModel.DataAnnotations;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.AccessTokens;

/// <summary>
/// Access tokens for the management API: an Owner or Developer (in the account they act in) or an Admin makes, lists and
/// revokes their own; the API turns a token into its creator's <see cref="Viewer"/> with their role, as it is now, in the
/// account the token was made in, narrowed to the token's scope, and every domain service applies the usual rules to it.
/// </summary>
public sealed class AccessTokenService(IDbContextFactory<ControlPanelDbContext> databases, TimeProvider clock, IOptions<EmailConfirmationOptions>? confirmation = null)
{
    public sealed class Form
    {
        [Required(ErrorMessage = "Enter a name.")]
        [StringLength(AccessToken.NameMaxLength, ErrorMessage = "The name is at most 100 characters.")]
        public string Name { get; set; } = "";

        public AccessTokenExpiry Expiry { get; set; } = AccessTokenExpiry.NinetyDays;

        public AccessTokenScope Scope { get; set; } = AccessTokenScope.ReadOnly;
    }

    public sealed record Row(
        Guid Id, string Name, AccessTokenScope Scope, string Hint, DateTime CreatedAt, DateTime? ExpiresAt,
        DateTime? LastUsedAt, DateTime? RevokedAt, AccessTokenState State);

    /// <summary>What a token stands for on one call.</summary>
    /// <param name="Viewer">The creator as they are now (role, account), named with the token, read-only when the scope or role says so.</param>
    public sealed record Use(Guid TokenId, string TokenName, AccessTokenScope Scope, Viewer Viewer)
    {
        public bool ReadOnly => Viewer.ReadOnly;
    }

    /// <summary>Why a call with a token is refused; the last two are the caller's limits (<see cref="AccessTokenAdmission"/>).</summary>
    public enum Refusal { Missing, Unknown, Revoked, Expired, UserRemoved, AccountLocked, TooManyRefused, RateLimited }

    public sealed record Authentication(Use? Use, Refusal? Refused);

    /// <summary>Admins, Owners and Developers make tokens; Support and the Viewer role (which change nothing) do not.</summary>
    public static bool CanHaveTokens(Viewer viewer) => viewer.CanCreate;

    public async Task<IReadOnlyList<Row>> ListAsync(Viewer viewer)
    {
        if (!CanHaveTokens(viewer)) throw new AccessDeniedException();
        await using var db = await databases.CreateDbContextAsync();
        var now = Now;
        var tokens = await db.AccessTokens.AsNoTracking().Where(t => t.UserId == viewer.UserId && t.AccountId == viewer.AccountId).ToListAsync();
        return tokens
            .OrderBy(t => t.State(now)).ThenByDescending(t => t.CreatedAt)
            .Select(t => new Row(t.Id, t.Name, t.Scope, AccessTokenFormat.Hint(t.Last4), t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt, t.State(now)))
            .ToList();
    }

    /// <summary>Makes a token and returns it in plaintext, this once. Audited (never the token).</summary>
    public async Task<IssuedAccessToken> CreateAsync(Viewer viewer, Form form)
    {
        if (!CanHaveTokens(viewer)) throw new AccessDeniedException();
        FormValidation.ThrowIfInvalid(form);
        var name = form.Name.Trim();
        if (name.Length == 0) throw new ValidationException(new ValidationResult("Enter a name.", [nameof(Form.Name)]), null, form);
        if (!Enum.IsDefined(form.Expiry)) throw new ValidationException(new ValidationResult("Choose an expiry.", [nameof(Form.Expiry)]), null, form);
        if (!Enum.IsDefined(form.Scope)) throw new ValidationException(new ValidationResult("Choose a scope.", [nameof(Form.Scope)]), null, form);

        var now = Now;
        var token = AccessTokenFormat.New();
        var row = new AccessToken
        {
            UserId = viewer.UserId,
            AccountId = viewer.AccountId,
            Name = name,
            Scope = form.Scope,
            TokenHash = AccessTokenFormat.Hash(token),
            Last4 = token[^4..],
            CreatedAt = now,
            ExpiresAt = form.Expiry.Duration() is { } lifetime ? now + lifetime : null,
        };
        await using var db = await databases.CreateDbContextAsync();
        await EmailConfirmation.EnsureMayIssueKeysAsync(db, viewer, confirmation?.Value, EmailConfirmation.NotConfirmedForTokens);
        db.AccessTokens.Add(row);
        AuditLog.Record(db, viewer, now, AuditActions.AccessTokenCreated, viewer.AccountId, null,
            $"Access token \"{name}\" ({form.Scope.Label()}, {(row.ExpiresAt is { } end ? $"expires {end:yyyy-MM-dd} UTC" : "no expiry")})");
        await db.SaveChangesAsync();
        return new IssuedAccessToken(row.Id, name, token, row.ExpiresAt);
    }

    /// <summary>Ends one of the viewer's tokens at once; the next call with it is refused.</summary>
    public async Task RevokeAsync(Viewer viewer, Guid tokenId)
    {
        if (!CanHaveTokens(viewer)) throw new AccessDeniedException();
        await using var db = await databases.CreateDbContextAsync();
        var token = await db.AccessTokens.SingleOrDefaultAsync(t => t.Id == tokenId && t.UserId == viewer.UserId && t.AccountId == viewer.AccountId)
            ?? throw new AccessDeniedException();
        if (token.RevokedAt is not null) throw new ValidationException("This token has already been revoked.");
        var now = Now;
        token.RevokedAt = now;
        AuditLog.Record(db, viewer, now, AuditActions.AccessTokenRevoked, viewer.AccountId, null, $"Revoked access token \"{token.Name}\" ({AccessTokenFormat.Hint(token.Last4)})");
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// The token's use, or why it is refused: unknown, revoked, expired, its user removed or without a role (a member who
    /// left the token's account), or that account locked. Writes nothing: a call's use is recorded once it is let in (<see cref="RecordUseAsync"/>).
    /// </summary>
    public async Task<Authentication> AuthenticateAsync(string? token, string? clientIp, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(token)) return new(null, Refusal.Missing);
        if (!AccessTokenFormat.IsWellFormed(token)) return new(null, Refusal.Unknown);
        var hash = AccessTokenFormat.Hash(token);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var row = await db.AccessTokens.AsNoTracking().SingleOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (row is null) return new(null, Refusal.Unknown);
        var now = Now;
        if (row.RevokedAt is not null) return new(null, Refusal.Revoked);
        if (row.IsExpired(now)) return new(null, Refusal.Expired);

        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == row.UserId, cancellationToken);
        if (user is null) return new(null, Refusal.UserRemoved);
        var roles = await db.UserRoles.Where(r => r.UserId == user.Id)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name).ToListAsync(cancellationToken);
        // The same precedence as a signed-in user's: a staff role, else the member's role in the token's account as it is now.
        var role = Roles.Staff.FirstOrDefault(roles.Contains);
        Guid? accountId = null;
        if (role is null)
        {
            if (row.AccountId is not { } tokenAccount) return new(null, Refusal.UserRemoved);
            // A deleted account's tokens stop with its members' access.
            role = await db.AccountMembers.Where(m => m.AccountId == tokenAccount && m.UserId == user.Id && m.Account!.DeletionRequestedAt == null)
                .Select(m => m.Role).SingleOrDefaultAsync(cancellationToken);
            if (role is null) return new(null, Refusal.UserRemoved);
            if (await db.Accounts.AnyAsync(a => a.Id == tokenAccount && a.IsLocked, cancellationToken)) return new(null, Refusal.AccountLocked);
            accountId = tokenAccount;
        }

        var name = string.IsNullOrWhiteSpace(user.DisplayName) ? user.Email ?? user.Id : user.DisplayName;
        var viewer = new Viewer(user.Id, $"{name} (token \"{row.Name}\")", role, accountId, clientIp);
        // Support and the Viewer role change nothing, so their tokens read only, whatever scope they were made with.
        var readOnly = row.Scope == AccessTokenScope.ReadOnly || !viewer.CanCreate;
        viewer = viewer with { ReadOnly = readOnly };
        return new(new Use(row.Id, row.Name, readOnly ? AccessTokenScope.ReadOnly : row.Scope, viewer), null);
    }

    /// <summary>Records an accepted call as the token's last use.</summary>
    public async Task RecordUseAsync(Use use, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var now = Now;
        await db.AccessTokens.Where(t => t.Id == use.TokenId).ExecuteUpdateAsync(set => set.SetProperty(t => t.LastUsedAt, now), cancellationToken);
    }

    /// <summary>Writes "this token changed something" to the audit log: every write made with a token is there, even where the change itself is not audited.</summary>
    public async Task RecordWriteAsync(Use use, string method, string path, int status)
    {
        await using var db = await databases.CreateDbContextAsync();
        AuditLog.Record(db, use.Viewer, Now, AuditActions.AccessTokenUsed, use.Viewer.AccountId, null,
            $"Access token \"{use.TokenName}\": {method} {path} → {status}");
        await db.SaveChangesAsync();
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
}
