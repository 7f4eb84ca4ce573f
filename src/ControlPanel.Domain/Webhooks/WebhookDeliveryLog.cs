using System.ComponentModel.DataAnnotations;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Keys;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Webhooks;

/// <summary>
/// The delivery log: owners read their own account's deliveries, Admin and Support read all;
/// resending needs the right to change the account.
/// </summary>
public sealed class WebhookDeliveryLog(IDbContextFactory<ControlPanelDbContext> databases, TimeProvider clock)
{
    public sealed record Filter(
        Guid? AccountId = null, Guid? EndpointId = null, string? EventName = null, WebhookDeliveryStatus? Status = null,
        DateTime? From = null, DateTime? To = null, int Skip = 0, int Take = 25);

    public sealed record Row(
        Guid Id, Guid AccountId, string AccountName, Guid EndpointId, string EndpointUrl, string EventName, WebhookDeliveryStatus Status,
        int Attempts, DateTime CreatedAt, DateTime? LastAttemptAt, int? LastHttpStatus, string? LastError, DateTime? NextAttemptAt, DateTime? DeliveredAt) : IAccountOwned;

    public sealed record Page(IReadOnlyList<Row> Rows, int Total);

    public sealed record AttemptView(
        int Number, DateTime StartedAt, int DurationMs, int? HttpStatus, WebhookAttemptOutcome Outcome, string? ResponseBody, string? Error);

    public sealed record Details(Row Delivery, Guid EventId, string DataJson, DateTime OccurredAt, IReadOnlyList<AttemptView> Attempts, bool CanResend);

    /// <summary>Success rate of the attempts that started in one bucket of time; null where there were none.</summary>
    public sealed record RateBucket(DateTime Start, string Label, int Attempts, int Succeeded)
    {
        public double Rate => Attempts == 0 ? 0 : Math.Round(100.0 * Succeeded / Attempts, 1);
    }

    public sealed record SuccessRates(IReadOnlyList<RateBucket> LastDay, IReadOnlyList<RateBucket> LastMonth);

    public async Task<Page> SearchAsync(Viewer viewer, Filter filter)
    {
        await using var db = await databases.CreateDbContextAsync();
        // Deleted endpoints' deliveries stay in the account's log.
        var deliveries = db.WebhookDeliveries.AsNoTracking().IgnoreQueryFilters().VisibleTo(viewer);

        if (filter.AccountId is { } accountId) deliveries = deliveries.Where(d => d.AccountId == accountId);
        if (filter.EndpointId is { } endpointId) deliveries = deliveries.Where(d => d.EndpointId == endpointId);
        if (!string.IsNullOrWhiteSpace(filter.EventName)) deliveries = deliveries.Where(d => d.EventName == filter.EventName);
        if (filter.Status is { } status) deliveries = deliveries.Where(d => d.Status == status);
        if (filter.From is { } from) deliveries = deliveries.Where(d => d.CreatedAt >= from);
        if (filter.To is { } to) deliveries = deliveries.Where(d => d.CreatedAt < to);

        var total = await deliveries.CountAsync();
        var rows = await Project(deliveries.OrderByDescending(d => d.CreatedAt).ThenBy(d => d.Id)
            .Skip(Math.Max(0, filter.Skip)).Take(Math.Clamp(filter.Take, 1, 500))).ToListAsync();
        return new Page(rows, total);
    }

    /// <summary>One delivery with its attempts, or <see cref="AccessDeniedException"/> when it is not the viewer's to see.</summary>
    public async Task<Details> GetAsync(Viewer viewer, Guid deliveryId)
    {
        await using var db = await databases.CreateDbContextAsync();
        var row = (await Project(db.WebhookDeliveries.AsNoTracking().IgnoreQueryFilters().Where(d => d.Id == deliveryId)).SingleOrDefaultAsync()).ReadableBy(viewer);
        var webhookEvent = await db.WebhookDeliveries.AsNoTracking().Where(d => d.Id == deliveryId)
            .Select(d => new { d.Event!.Id, d.Event.DataJson, d.Event.OccurredAt }).SingleAsync();
        var attempts = await db.WebhookAttempts.AsNoTracking().Where(a => a.DeliveryId == deliveryId).OrderBy(a => a.Number)
            .Select(a => new AttemptView(a.Number, a.StartedAt, a.DurationMs, a.HttpStatus, a.Outcome, a.ResponseBody, a.Error))
            .ToListAsync();
        // Support and the Viewer role hold no keys: key_rotated and key_revoked payloads (and answers echoing them) lose the keys' last four.
        if (viewer.SeesNoSecrets)
            return new Details(row, webhookEvent.Id, KeyRedaction.InJson(webhookEvent.DataJson)!, webhookEvent.OccurredAt,
                [.. attempts.Select(a => a with { ResponseBody = KeyRedaction.InJson(a.ResponseBody) })], viewer.CanChange(row.AccountId));
        return new Details(row, webhookEvent.Id, webhookEvent.DataJson, webhookEvent.OccurredAt, attempts, viewer.CanChange(row.AccountId));
    }

    /// <summary>
    /// Attempts the delivery again now. A delivery still being retried keeps its schedule; a finished
    /// one (delivered or failed) gets this one extra attempt. The message id stays the same.
    /// </summary>
    public async Task ResendAsync(Viewer viewer, Guid deliveryId)
    {
        await using var db = await databases.CreateDbContextAsync();
        var delivery = await db.WebhookDeliveries.Include(d => d.Endpoint).FindForChangeAsync(viewer, d => d.Id == deliveryId);
        if (delivery.Endpoint is { IsEnabled: false }) throw new ValidationException("Enable the endpoint before resending to it.");
        var now = clock.GetUtcNow().UtcDateTime;
        if (delivery.IsFinished)
        {
            delivery.Status = WebhookDeliveryStatus.Pending;
            delivery.AttemptLimit = delivery.Attempts + 1;
        }
        delivery.NextAttemptAt = now;
        await db.SaveChangesAsync();
    }

    /// <summary>The endpoint's attempt success rate per hour over the last 24 hours and per day over the last 30 days (UTC).</summary>
    public async Task<SuccessRates> SuccessRatesAsync(Viewer viewer, Guid endpointId)
    {
        await using var db = await databases.CreateDbContextAsync();
        await db.WebhookEndpoints.AsNoTracking().FindForReadAsync(viewer, e => e.Id == endpointId);

        var now = clock.GetUtcNow().UtcDateTime;
        var thisHour = new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc);
        var today = now.Date;
        var since = today.AddDays(-29);
        // Grouped in memory: date truncation differs between SQLite and PostgreSQL, and one endpoint's month of attempts is small.
        var attempts = await db.WebhookAttempts.AsNoTracking().Where(a => a.EndpointId == endpointId && a.StartedAt >= since)
            .Select(a => new { a.StartedAt, a.Outcome }).ToListAsync();

        var hours = Enumerable.Range(0, 24).Select(i => thisHour.AddHours(i - 23)).Select(start =>
        {
            var inBucket = attempts.Where(a => a.StartedAt >= start && a.StartedAt < start.AddHours(1)).ToList();
            return new RateBucket(start, start.ToString("HH:00"), inBucket.Count, inBucket.Count(a => a.Outcome == WebhookAttemptOutcome.Delivered));
        }).ToList();
        var days = Enumerable.Range(0, 30).Select(i => since.AddDays(i)).Select(start =>
        {
            var inBucket = attempts.Where(a => a.StartedAt >= start && a.StartedAt < start.AddDays(1)).ToList();
            return new RateBucket(start, start.ToString("MM-dd"), inBucket.Count, inBucket.Count(a => a.Outcome == WebhookAttemptOutcome.Delivered));
        }).ToList();
        return new SuccessRates(hours, days);
    }

    private static IQueryable<Row> Project(IQueryable<WebhookDelivery> deliveries) =>
        deliveries.Select(d => new Row(
            d.Id, d.AccountId, d.Endpoint!.Account!.Name, d.EndpointId,
            d.Endpoint.DeletedAt == null ? d.Endpoint.Url : d.Endpoint.Url + WebhookEndpoint.DeletedSuffix, d.EventName, d.Status, d.Attempts,
            d.CreatedAt, d.LastAttemptAt, d.LastHttpStatus, d.LastError, d.NextAttemptAt, d.DeliveredAt));
}
