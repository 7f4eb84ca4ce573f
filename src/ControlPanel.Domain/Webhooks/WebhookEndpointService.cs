using System.ComponentModel.DataAnnotations;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Keys;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPanel.Domain.Webhooks;

/// <summary>An account's webhook endpoints: adding, editing, disabling, rotating the signing secret, setting the verification secret, sending a test event.</summary>
public sealed class WebhookEndpointService(
    IDbContextFactory<ControlPanelDbContext> databases, WebhookSecrets secrets, WebhookUrlRules urlRules, EventCatalogue catalogue,
    IOptions<WebhookOptions> options, TimeProvider clock)
{
    public sealed record Summary(
        Guid Id, Guid AccountId, string AccountName, string Url, string Description, bool IsEnabled,
        IReadOnlyList<string> Events, DateTime CreatedAt);

    public sealed record Details(
        Guid Id, Guid AccountId, string AccountName, string Url, string Description, bool IsEnabled,
        IReadOnlyList<string> Events, string SecretId, DateTime SecretCreatedAt, DateTime CreatedAt, string CreatedBy,
        DateTime? DisabledAt, bool CanChange, string? PreviousSecretId, DateTime? PreviousSecretExpiresAt, DateTime? VerificationSecretSetAt,
        int? MaxDeliveriesPerSecond, int DeliveriesPerSecond)
    {
        /// <summary>False only for endpoints added before verification secrets: their body's "secret" field carries <see cref="SecretId"/>.</summary>
        public bool HasVerificationSecret => VerificationSecretSetAt is not null;
    }

    public sealed class Form
    {
        [Required(ErrorMessage = "Enter the URL.")]
        [StringLength(WebhookEndpoint.UrlMaxLength, ErrorMessage = "The URL is at most 2048 characters.")]
        public string Url { get; set; } = "";

        [StringLength(WebhookEndpoint.DescriptionMaxLength, ErrorMessage = "The description is at most 200 characters.")]
        public string? Description { get; set; }

        public bool IsEnabled { get; set; } = true;

        /// <summary>Deliveries per second at most; blank takes the admin's cap (<see cref="WebhookOptions.MaxDeliveriesPerSecond"/>), and more than it is refused.</summary>
        [Range(1, 1000, ErrorMessage = "Deliveries per second is a whole number from 1 up.")]
        public int? MaxDeliveriesPerSecond { get; set; }

        [MinLength(1, ErrorMessage = "Choose at least one event.")]
        public List<string> Events { get; set; } = [];

        /// <summary>When adding: the verification secret for the body's "secret" field; left blank, one is generated.</summary>
        [StringLength(WebhookSecrets.VerificationSecretMaxLength, ErrorMessage = "The verification secret is at most 200 characters.")]
        public string? VerificationSecret { get; set; }

        /// <summary>The account to add to: an owner's own, or any account for an admin.</summary>
        public Guid? AccountId { get; set; }

        public static Form From(Details endpoint) => new()
        {
            Url = endpoint.Url,
            Description = endpoint.Description,
            IsEnabled = endpoint.IsEnabled,
            MaxDeliveriesPerSecond = endpoint.MaxDeliveriesPerSecond,
            Events = [.. endpoint.Events],
            AccountId = endpoint.AccountId,
        };
    }

    public async Task<IReadOnlyList<Summary>> ListAsync(Viewer viewer, Guid? accountId = null)
    {
        await using var db = await databases.CreateDbContextAsync();
        var endpoints = db.WebhookEndpoints.AsNoTracking().VisibleTo(viewer);
        if (accountId is { } id) endpoints = endpoints.Where(e => e.AccountId == id);
        var rows = await endpoints
            .Select(e => new { e.Id, e.AccountId, AccountName = e.Account!.Name, e.Url, e.Description, e.IsEnabled, e.Events, e.CreatedAt })
            .ToListAsync();
        return rows
            .Select(r => new Summary(r.Id, r.AccountId, r.AccountName, r.Url, r.Description, r.IsEnabled, Split(r.Events), r.CreatedAt))
            .OrderBy(s => s.AccountName).ThenBy(s => s.CreatedAt)
            .ToList();
    }

    /// <summary>One endpoint, or <see cref="AccessDeniedException"/> when it does not exist or is not the viewer's to see.</summary>
    public async Task<Details> GetAsync(Viewer viewer, Guid endpointId)
    {
        await using var db = await databases.CreateDbContextAsync();
        var endpoint = await db.WebhookEndpoints.AsNoTracking().Include(e => e.Account).FindForReadAsync(viewer, e => e.Id == endpointId);
        return ToDetails(endpoint, viewer);
    }

    /// <summary>Adds the endpoint and returns its signing and verification secrets in plaintext, this once.</summary>
    public async Task<IssuedSecret> CreateAsync(Viewer viewer, Form form, CancellationToken cancellationToken = default)
    {
        var id = AccountScope.AccountToCreateIn(viewer, form.AccountId);
        var subscribable = await ValidateAsync(form, cancellationToken);
        var verification = string.IsNullOrEmpty(form.VerificationSecret) ? WebhookSecrets.NewVerificationSecret() : form.VerificationSecret;
        if (WebhookSecrets.CheckVerificationSecret(verification) is { } refused)
            throw new ValidationException(new ValidationResult(refused, [nameof(Form.VerificationSecret)]), null, null);

        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        if (!await db.Accounts.AnyAsync(a => a.Id == id, cancellationToken)) throw new AccessDeniedException();
        var now = clock.GetUtcNow().UtcDateTime;
        var secret = WebhookSecrets.NewSecret();
        var endpoint = new WebhookEndpoint
        {
            AccountId = id,
            Url = form.Url.Trim(),
            Description = form.Description?.Trim() ?? "",
            IsEnabled = form.IsEnabled,
            DisabledAt = form.IsEnabled ? null : now,
            MaxDeliveriesPerSecond = form.MaxDeliveriesPerSecond,
            Events = WebhookEndpoint.JoinEvents(form.Events, subscribable),
            ProtectedSecret = secrets.Protect(secret),
            SecretId = WebhookSecrets.NewSecretId(),
            SecretCreatedAt = now,
            ProtectedVerificationSecret = secrets.ProtectVerification(verification),
            VerificationSecretSetAt = now,
            CreatedAt = now,
            CreatedBy = viewer.Name,
        };
        db.WebhookEndpoints.Add(endpoint);
        AuditLog.Record(db, viewer, now, AuditActions.WebhookEndpointCreated, id, null,
            $"Added webhook endpoint {endpoint.Url} ({(endpoint.IsEnabled ? "enabled" : "disabled")}; events: {Words(endpoint.Events)}; signing secret {endpoint.SecretId}; verification secret {(string.IsNullOrEmpty(form.VerificationSecret) ? "generated" : "typed")})");
        await db.SaveChangesAsync(cancellationToken);
        return new IssuedSecret(endpoint.Id, endpoint.SecretId, secret, verification);
    }

    /// <summary>Changes the URL, description, events or enabled flag; each change is audited.</summary>
    public async Task<Details> UpdateAsync(Viewer viewer, Guid endpointId, Form form, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var endpoint = await db.WebhookEndpoints.FindForChangeAsync(viewer, e => e.Id == endpointId);
        var subscribable = await ValidateAsync(form, cancellationToken);

        var now = clock.GetUtcNow().UtcDateTime;
        var changes = new List<string>();
        var url = form.Url.Trim();
        var description = form.Description?.Trim() ?? "";
        var events = WebhookEndpoint.JoinEvents(form.Events, subscribable);
        if (url != endpoint.Url) { changes.Add($"URL: {endpoint.Url} → {url}"); endpoint.Url = url; }
        if (description != endpoint.Description) { changes.Add($"Description: \"{endpoint.Description}\" → \"{description}\""); endpoint.Description = description; }
        if (events != endpoint.Events) { changes.Add($"Events: {Words(endpoint.Events)} → {Words(events)}"); endpoint.Events = events; }
        if (form.MaxDeliveriesPerSecond != endpoint.MaxDeliveriesPerSecond)
        {
            changes.Add($"Deliveries per second: {Throttle(endpoint.MaxDeliveriesPerSecond)} → {Throttle(form.MaxDeliveriesPerSecond)}");
            endpoint.MaxDeliveriesPerSecond = form.MaxDeliveriesPerSecond;
        }
        if (changes.Count > 0)
            AuditLog.Record(db, viewer, now, AuditActions.WebhookEndpointUpdated, endpoint.AccountId, null, $"{endpoint.Url}: {string.Join("; ", changes)}");
        if (form.IsEnabled != endpoint.IsEnabled)
        {
            if (form.IsEnabled)
                AuditLog.Record(db, viewer, now, AuditActions.WebhookEndpointUpdated, endpoint.AccountId, null, $"{endpoint.Url}: Status: disabled → enabled");
            else
                RecordDisabled(db, viewer, endpoint, now);
            endpoint.IsEnabled = form.IsEnabled;
            endpoint.DisabledAt = form.IsEnabled ? null : now;
            endpoint.FailingSince = null; // a re-enabled endpoint gets its full time before it is disabled again
        }
        await db.SaveChangesAsync(cancellationToken);
        return await GetAsync(viewer, endpointId);
    }

    /// <summary>Stops deliveries to the endpoint: pending ones end as failed when their turn comes.</summary>
    public async Task DisableAsync(Viewer viewer, Guid endpointId)
    {
        await using var db = await databases.CreateDbContextAsync();
        var endpoint = await db.WebhookEndpoints.FindForChangeAsync(viewer, e => e.Id == endpointId);
        if (!endpoint.IsEnabled) return;
        var now = clock.GetUtcNow().UtcDateTime;
        endpoint.IsEnabled = false;
        endpoint.DisabledAt = now;
        RecordDisabled(db, viewer, endpoint, now);
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// Deletes the endpoint (its account's Owners and Developers, or an Admin): it leaves the list, nothing is sent to it again, and
    /// the deliveries still waiting end as failed, saying why. Its delivery log stays readable to the account, naming it deleted: it
    /// is the account's record of what was sent, and goes with the rest of the log when its history retention removes it.
    /// </summary>
    public async Task DeleteAsync(Viewer viewer, Guid endpointId)
    {
        await using var db = await databases.CreateDbContextAsync();
        var endpoint = await db.WebhookEndpoints.FindForChangeAsync(viewer, e => e.Id == endpointId);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync();
        var ended = await db.WebhookDeliveries
            .Where(d => d.EndpointId == endpointId && (d.Status == WebhookDeliveryStatus.Pending || d.Status == WebhookDeliveryStatus.Retrying))
            .ExecuteUpdateAsync(set => set
                .SetProperty(d => d.Status, WebhookDeliveryStatus.Failed)
                .SetProperty(d => d.NextAttemptAt, (DateTime?)null)
                .SetProperty(d => d.LastError, WebhookEndpoint.DeletedReason));
        endpoint.DeletedAt = now;
        endpoint.IsEnabled = false;
        endpoint.DisabledAt ??= now;
        AuditLog.Record(db, viewer, now, AuditActions.WebhookEndpointDeleted, endpoint.AccountId, null,
            $"Deleted webhook endpoint {endpoint.Url}; {ended} waiting deliver{(ended == 1 ? "y" : "ies")} ended as failed");
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
    }

    /// <summary>
    /// Issues a new signing secret, returned in plaintext this once. For <paramref name="overlap"/> the replaced secret keeps signing
    /// too (both signatures in the header), so receivers can move to the new one without rejecting deliveries meanwhile.
    /// </summary>
    public async Task<IssuedSecret> RotateSecretAsync(Viewer viewer, Guid endpointId, RotationGrace overlap = RotationGrace.Immediately)
    {
        if (!Enum.IsDefined(overlap)) throw new ValidationException("Choose how long the old secret keeps signing.");
        await using var db = await databases.CreateDbContextAsync();
        var endpoint = await db.WebhookEndpoints.FindForChangeAsync(viewer, e => e.Id == endpointId);
        var now = clock.GetUtcNow().UtcDateTime;
        var secret = WebhookSecrets.NewSecret();
        var previousId = endpoint.SecretId;
        var keepsSigning = overlap != RotationGrace.Immediately;
        endpoint.ProtectedPreviousSecret = keepsSigning ? endpoint.ProtectedSecret : null;
        endpoint.PreviousSecretId = keepsSigning ? previousId : null;
        endpoint.PreviousSecretExpiresAt = keepsSigning ? now + overlap.Duration() : null;
        endpoint.ProtectedSecret = secrets.Protect(secret);
        endpoint.SecretId = WebhookSecrets.NewSecretId();
        endpoint.SecretCreatedAt = now;
        AuditLog.Record(db, viewer, now, AuditActions.WebhookSecretRotated, endpoint.AccountId, null,
            $"{endpoint.Url}: signing secret {previousId} → {endpoint.SecretId}"
            + (keepsSigning ? $"; {previousId} keeps signing until {endpoint.PreviousSecretExpiresAt:yyyy-MM-dd HH:mm} UTC ({overlap.Label()})" : "; the old one stopped at once"));
        await db.SaveChangesAsync();
        return new IssuedSecret(endpoint.Id, endpoint.SecretId, secret);
    }

    /// <summary>
    /// Sets the verification secret sent in each body's "secret" field: the one typed, or a generated one when
    /// <paramref name="secret"/> is null or empty. Returns the secret now in force (to show once when generated).
    /// </summary>
    public async Task<string> SetVerificationSecretAsync(Viewer viewer, Guid endpointId, string? secret)
    {
        var generated = string.IsNullOrEmpty(secret);
        var value = generated ? WebhookSecrets.NewVerificationSecret() : secret!;
        if (WebhookSecrets.CheckVerificationSecret(value) is { } refused)
            throw new ValidationException(new ValidationResult(refused, [nameof(Form.VerificationSecret)]), null, null);
        await using var db = await databases.CreateDbContextAsync();
        var endpoint = await db.WebhookEndpoints.FindForChangeAsync(viewer, e => e.Id == endpointId);
        var now = clock.GetUtcNow().UtcDateTime;
        endpoint.ProtectedVerificationSecret = secrets.ProtectVerification(value);
        endpoint.VerificationSecretSetAt = now;
        AuditLog.Record(db, viewer, now, AuditActions.WebhookVerificationSecretSet, endpoint.AccountId, null,
            $"{endpoint.Url}: verification secret {(generated ? "generated" : "typed")}");
        await db.SaveChangesAsync();
        return value;
    }

    /// <summary>Queues a <see cref="WebhookEvents.Test"/> event for this endpoint only; returns the delivery's id.</summary>
    public async Task<Guid> SendTestAsync(Viewer viewer, Guid endpointId)
    {
        await using var db = await databases.CreateDbContextAsync();
        var endpoint = await db.WebhookEndpoints.FindForChangeAsync(viewer, e => e.Id == endpointId);
        if (!endpoint.IsEnabled) throw new ValidationException("Enable the endpoint before sending it a test event.");
        var now = clock.GetUtcNow().UtcDateTime;
        var testEvent = new WebhookEvent
        {
            AccountId = endpoint.AccountId,
            Name = WebhookEvents.Test,
            DataJson = System.Text.Json.JsonSerializer.Serialize(
                new { Message = "A test event from ControlPanel.", EndpointId = endpoint.Id, SentBy = viewer.Name, SentAt = now }, WebhookOutbox.DataJson),
            OccurredAt = now,
            FannedOutAt = now, // addressed to this endpoint alone, not to the subscribers
        };
        var delivery = WebhookDispatcher.NewDelivery(testEvent, endpoint, now);
        db.WebhookEvents.Add(testEvent);
        db.WebhookDeliveries.Add(delivery);
        await db.SaveChangesAsync();
        return delivery.Id;
    }

    /// <summary>Checks the form; returns the event names it may subscribe to, in the catalogue's order.</summary>
    private async Task<IReadOnlyList<string>> ValidateAsync(Form form, CancellationToken cancellationToken)
    {
        // Each refusal names the field it is about (ValidationResult.MemberNames), so a form can show it there.
        FormValidation.ThrowIfInvalid(form);
        var subscribable = await catalogue.SubscribableAsync(cancellationToken);
        if (form.Events.FirstOrDefault(e => !subscribable.Contains(e)) is { } unknown)
            throw new ValidationException(new ValidationResult($"There is no event named \"{unknown}\".", [nameof(Form.Events)]), null, null);
        if (form.MaxDeliveriesPerSecond > options.Value.MaxDeliveriesPerSecond)
            throw new ValidationException(new ValidationResult(
                $"At most {options.Value.MaxDeliveriesPerSecond} deliveries per second (the administrator's limit).", [nameof(Form.MaxDeliveriesPerSecond)]), null, null);
        if (await urlRules.CheckAsync(form.Url, cancellationToken) is { } refused)
            throw new ValidationException(new ValidationResult(refused, [nameof(Form.Url)]), null, null);
        if (WebhookEndpoint.JoinEvents(form.Events, subscribable).Length > WebhookEndpoint.EventsMaxLength)
            throw new ValidationException(new ValidationResult("Too many events for one endpoint: split them over two endpoints.", [nameof(Form.Events)]), null, null);
        return subscribable;
    }

    private static void RecordDisabled(ControlPanelDbContext db, Viewer viewer, WebhookEndpoint endpoint, DateTime now) =>
        AuditLog.Record(db, viewer, now, AuditActions.WebhookEndpointDisabled, endpoint.AccountId, null, $"{endpoint.Url}: Status: enabled → disabled");

    private Details ToDetails(WebhookEndpoint e, Viewer viewer) => new(
        e.Id, e.AccountId, e.Account?.Name ?? "", e.Url, e.Description, e.IsEnabled, e.EventList, e.SecretId, e.SecretCreatedAt,
        e.CreatedAt, e.CreatedBy, e.DisabledAt, viewer.CanChange(e.AccountId),
        e.PreviousSecretSigns(clock.GetUtcNow().UtcDateTime) ? e.PreviousSecretId : null,
        e.PreviousSecretSigns(clock.GetUtcNow().UtcDateTime) ? e.PreviousSecretExpiresAt : null,
        e.VerificationSecretSetAt, e.MaxDeliveriesPerSecond, options.Value.ThrottleFor(e.MaxDeliveriesPerSecond));

    private static IReadOnlyList<string> Split(string events) => events.Split(',', StringSplitOptions.RemoveEmptyEntries);

    private static string Throttle(int? perSecond) => perSecond?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "the default";

    private static string Words(string events) => events.Length == 0 ? "none" : events.Replace(",", ", ");
}
