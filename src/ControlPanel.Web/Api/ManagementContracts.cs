using ControlPanel.Domain.AccessTokens;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Keys;
using ControlPanel.Domain.Origins;
using ControlPanel.Domain.Webhooks;

namespace ControlPanel.Web.Api;

// The management API's bodies (/api/v1/manage). Choices travel as text ("Live", "OneHour") and are parsed by the
// endpoints, so a bad one answers 117 with the accepted values instead of the framework's bare 400.

/// <param name="Name">2 to 80 characters, unique in the account.</param>
/// <param name="Environment">Development, Staging or Live (default Development).</param>
/// <param name="DefaultView">The view new sessions start in (default "default").</param>
/// <param name="IsOnline">Default true.</param>
/// <param name="AccountId">Admin tokens only: the account to create in.</param>
public sealed record ApplicationRequest(string? Name, string? Environment = null, string? DefaultView = null, bool? IsOnline = null, Guid? AccountId = null);

public sealed record ApplicationListItem(
    Guid Id, Guid AccountId, string AccountName, string Name, string Environment, bool IsOnline, DateTime? KeyLastUsedAt, int LiveKeyPairs);

/// <param name="Status">online, offline or "suspended by an Admin" (only an Admin brings it back).</param>
public sealed record ApplicationDetails(
    Guid Id, Guid AccountId, string AccountName, string Name, string Environment, bool IsOnline, string Status,
    string? SuspensionReason, string DefaultView, DateTime CreatedAt, string CreatedBy)
{
    public static ApplicationDetails From(Application a, string accountName) => new(
        a.Id, a.AccountId, accountName, a.Name, a.Environment.ToString(), a.IsOnline, a.StatusText, a.SuspensionReason, a.DefaultView, a.CreatedAt, a.CreatedBy);
}

/// <summary>A key pair as issued: the only answer that ever carries the keys.</summary>
/// <param name="Replayed">True when this is the answer of an earlier call with the same Idempotency-Key (no new key pair).</param>
public sealed record IssuedKeyPair(Guid KeyPairId, string ApplicationKey, string ConsumerKey, bool Replayed = false)
{
    public static IssuedKeyPair From(IssuedKeys keys, bool replayed = false) => new(keys.KeyPairId, keys.ApplicationKey, keys.ConsumerKey, replayed);

    public override string ToString() => $"IssuedKeyPair {{ KeyPairId = {KeyPairId} }}";
}

public sealed record CreatedApplication(ApplicationDetails Application, IssuedKeyPair Keys);

public sealed record KeyPairItem(
    Guid Id, string ApplicationKeyLast4, string ConsumerKeyLast4, DateTime CreatedAt, string CreatedBy,
    DateTime? LastUsedAt, DateTime? ExpiresAt, DateTime? RevokedAt, bool IsLive)
{
    public static KeyPairItem From(KeyService.PairView p) => new(
        p.Id, p.ApplicationKeyLast4, p.ConsumerKeyLast4, p.CreatedAt, p.CreatedBy, p.LastUsedAt, p.ExpiresAt, p.RevokedAt, p.IsLive);
}

/// <param name="Grace">How long the pairs live until now keep working: Immediately, OneHour, TwentyFourHours, ThreeDays or SevenDays.</param>
public sealed record RotateRequest(string? Grace);

/// <param name="Entries">One origin per entry (a host, a wildcard host, an IP address or CIDR range); empty allows every origin.</param>
public sealed record AllowlistRequest(IReadOnlyList<string>? Entries);

/// <param name="Entries">The list in force, normalised.</param>
/// <param name="Unreadable">Stored lines that no longer parse: every call answers 111 until the list is saved again.</param>
public sealed record AllowlistAnswer(IReadOnlyList<string> Entries, IReadOnlyList<AllowlistLineError> Unreadable);

public sealed record AllowlistLineError(int Line, string Text, string Message)
{
    public static AllowlistLineError From(OriginLineError e) => new(e.LineNumber, e.Text, e.Message);
}

/// <param name="Url">HTTPS; hosts inside private networks are refused.</param>
/// <param name="Events">Event names from the Webhooks table (key_rotated, chat_ended…).</param>
/// <param name="AccountId">Admin tokens only: the account to add to.</param>
public sealed record WebhookEndpointRequest(string? Url, string? Description = null, IReadOnlyList<string>? Events = null, bool? IsEnabled = null, Guid? AccountId = null);

public sealed record WebhookEndpointItem(
    Guid Id, Guid AccountId, string AccountName, string Url, string Description, bool IsEnabled, IReadOnlyList<string> Events,
    string? SecretId, DateTime CreatedAt)
{
    public static WebhookEndpointItem From(WebhookEndpointService.Summary s) => new(s.Id, s.AccountId, s.AccountName, s.Url, s.Description, s.IsEnabled, s.Events, null, s.CreatedAt);

    public static WebhookEndpointItem From(WebhookEndpointService.Details d) => new(d.Id, d.AccountId, d.AccountName, d.Url, d.Description, d.IsEnabled, d.Events, d.SecretId, d.CreatedAt);
}

/// <param name="SigningSecret">whsec_…: shown this once; deliveries are signed with it.</param>
public sealed record CreatedWebhookEndpoint(WebhookEndpointItem Endpoint, string SigningSecret)
{
    public override string ToString() => $"CreatedWebhookEndpoint {{ Endpoint = {Endpoint.Id} }}";
}

public sealed record DeliveryItem(
    Guid Id, Guid EndpointId, string EndpointUrl, string EventName, string Status, int Attempts, DateTime CreatedAt,
    DateTime? LastAttemptAt, int? LastHttpStatus, string? LastError, DateTime? NextAttemptAt, DateTime? DeliveredAt)
{
    public static DeliveryItem From(WebhookDeliveryLog.Row r) => new(
        r.Id, r.EndpointId, r.EndpointUrl, r.EventName, r.Status.ToString(), r.Attempts, r.CreatedAt, r.LastAttemptAt, r.LastHttpStatus, r.LastError, r.NextAttemptAt, r.DeliveredAt);
}

public sealed record DeliveryPage(IReadOnlyList<DeliveryItem> Deliveries, int Total);

public sealed record TestEventQueued(Guid DeliveryId);

/// <summary>One of the token's user's access tokens (never the token itself).</summary>
public sealed record AccessTokenItem(Guid Id, string Name, string Scope, string Hint, DateTime CreatedAt, DateTime? ExpiresAt, DateTime? LastUsedAt, string State)
{
    public static AccessTokenItem From(AccessTokenService.Row t) => new(t.Id, t.Name, t.Scope.ToString(), t.Hint, t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.State.ToString());

    public static AccessTokenItem From(StaffAdministration.TokenRow t) => new(t.Id, t.Name, t.Scope.ToString(), t.Hint, t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.State.ToString());
}

/// <summary>An Admin or Support user, for an Admin's token.</summary>
public sealed record StaffItem(string UserId, string Email, string DisplayName, string Role, bool IsDisabled, bool HasAcceptedInvitation, int LiveTokens)
{
    public static StaffItem From(StaffAdministration.Member m) => new(m.UserId, m.Email, m.DisplayName, m.Role, m.IsDisabled, m.HasAcceptedInvitation, m.LiveTokens);
}

/// <param name="Role">Admin or Support.</param>
public sealed record StaffRoleRequest(string? Role);

