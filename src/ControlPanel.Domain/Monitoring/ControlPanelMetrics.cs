using System.Diagnostics;
using System.Diagnostics.Metrics;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Errors;
using ControlPanel.Domain.Webhooks;

namespace ControlPanel.Domain.Monitoring;

/// <summary>
/// What operators watch, as .NET metrics under the meter <see cref="MeterName"/>: the host exports them over OTLP and in
/// Prometheus text (see docs/operations.md, "Monitoring"). Recording costs next to nothing when nobody listens, and tags are
/// cached strings, so the check path does not allocate for them.
/// </summary>
public static class ControlPanelMetrics
{
    public const string MeterName = "ControlPanel";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Decisions = Meter.CreateCounter<long>(
        "controlpanel.check.decisions", "{decision}", "Key checks answered, by outcome code (0 = allowed) and application environment.");

    private static readonly Histogram<double> CheckDuration = Meter.CreateHistogram<double>(
        "controlpanel.check.duration", "s", "Time to decide one key check, HTTP excluded.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.005, 0.025, 0.1, 0.5] });

    private static readonly Counter<long> LimitRefusals = Meter.CreateCounter<long>(
        "controlpanel.limits.refusals", "{refusal}", "Calls refused by a per-minute rate limit (158) or a monthly quota (103).");

    private static readonly Histogram<double> LeaseDuration = Meter.CreateHistogram<double>(
        "controlpanel.limits.lease.duration", "s", "Round trips to the shared counter store to lease a block of a limit (PostgreSQL installations).");

    private static readonly Counter<long> SessionLookups = Meter.CreateCounter<long>(
        "controlpanel.sessions.lookups", "{lookup}", "Session tokens not held in memory, looked up in the database, by what was found.");

    private static readonly Counter<long> WebhookAttempts = Meter.CreateCounter<long>(
        "controlpanel.webhooks.attempts", "{attempt}", "Webhook delivery attempts, by result.");

    private static readonly Histogram<double> WebhookAttemptDuration = Meter.CreateHistogram<double>(
        "controlpanel.webhooks.attempt.duration", "s", "Time from sending a webhook to its receiver's answer (or failure).");

    private static long _dueDeliveries;
    private static long _lastUsageFlushTimestamp = Stopwatch.GetTimestamp();

    static ControlPanelMetrics()
    {
        Meter.CreateObservableGauge("controlpanel.webhooks.due", () => Interlocked.Read(ref _dueDeliveries), "{delivery}",
            "Webhook deliveries due for an attempt at the dispatcher's last pass.");
        // Elapsed on the monotonic clock, so a test's manual clock or a wall-clock jump cannot bend it.
        Meter.CreateObservableGauge("controlpanel.usage.flush.lag", () => Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastUsageFlushTimestamp)).TotalSeconds,
            "s", "Time since usage counted in memory was last written to the database: what a crash would lose.");
    }

    private static readonly string[] Codes = [.. Enumerable.Range(0, 1000).Select(code => code.ToString(System.Globalization.CultureInfo.InvariantCulture))];
    private static readonly int RateLimitCode = ErrorCatalogue.RateLimitExceeded.Code;
    private static readonly int QuotaCode = ErrorCatalogue.QuotaExceeded.Code;
    private static readonly string[] Environments = Enum.GetNames<ApplicationEnvironment>();

    public static void RecordDecision(int code, ApplicationEnvironment? environment, TimeSpan duration)
    {
        var tags = new TagList
        {
            { "code", (uint)code < Codes.Length ? Codes[code] : "other" },
            { "environment", environment is { } e ? Environments[(int)e] : "unknown" },
        };
        Decisions.Add(1, tags);
        CheckDuration.Record(duration.TotalSeconds);
        if (code == RateLimitCode) LimitRefusals.Add(1, new KeyValuePair<string, object?>("limit", "rate"));
        else if (code == QuotaCode) LimitRefusals.Add(1, new KeyValuePair<string, object?>("limit", "quota"));
    }

    public static void RecordLease(TimeSpan duration) => LeaseDuration.Record(duration.TotalSeconds);

    public static void RecordSessionLookup(string result) => SessionLookups.Add(1, new KeyValuePair<string, object?>("result", result));

    public static void RecordWebhookAttempt(WebhookAttemptOutcome outcome, TimeSpan duration)
    {
        WebhookAttempts.Add(1, new KeyValuePair<string, object?>("result", outcome.ToString()));
        WebhookAttemptDuration.Record(duration.TotalSeconds);
    }

    public static void RecordDueDeliveries(long due) => Interlocked.Exchange(ref _dueDeliveries, due);

    public static void RecordUsageFlushed() => Interlocked.Exchange(ref _lastUsageFlushTimestamp, Stopwatch.GetTimestamp());
}
