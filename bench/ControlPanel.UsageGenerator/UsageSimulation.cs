using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Errors;
using ControlPanel.Domain.Usage;

namespace ControlPanel.UsageGenerator;

/// <summary>One simulated application: how busy it is, how it grows, and how often it is refused.</summary>
public sealed record ApplicationProfile(
    Guid Id, Guid AccountId, ApplicationEnvironment Environment, long MonthlyQuota, long OverrunAllowance,
    double BaseCallsPerDay, double GrowthPerYear, double RateLimitedShare, double Phase, Guid[] KeyPairs);

/// <summary>
/// A year of check decisions, aggregated as the meter would: per day for the whole year and per
/// minute for the recent window, with the quota enforced month by month (calls past quota and
/// allowance become 103). Deterministic for a seed. Rows for one day always sum to that day's row.
/// </summary>
public sealed class UsageSimulation(GeneratorOptions options, DateTime now)
{
    private const int MinutesPerDay = 1440;
    private readonly Random _random = new(options.Seed);

    public DateOnly Today { get; } = DateOnly.FromDateTime(now);

    public long Calls { get; private set; }

    public List<ApplicationProfile> CreateProfiles(IReadOnlyList<(Guid AccountId, Guid ApplicationId, ApplicationEnvironment Environment)> applications)
    {
        var profiles = new List<ApplicationProfile>();
        foreach (var (accountId, applicationId, environment) in applications)
        {
            // Log-normal volumes: most applications are small, a few carry most of the traffic.
            var baseCalls = options.MedianCallsPerDay * Math.Exp(1.5 * Gaussian());
            if (environment != ApplicationEnvironment.Live) baseCalls *= 0.2;
            var monthly = baseCalls * 30;
            // Quotas are set in round numbers; some sit below what the application really uses.
            var quota = RoundQuota(monthly * (0.8 + 2.5 * _random.NextDouble()));
            var allowance = _random.NextDouble() < 0.3 ? quota / 10 : 0;
            var rateLimited = _random.NextDouble() < 0.15 ? 0.01 + 0.1 * _random.NextDouble() : 0.0005;
            var pairs = _random.NextDouble() < 0.2 ? new[] { Guid.NewGuid(), Guid.NewGuid() } : [Guid.NewGuid()];
            profiles.Add(new ApplicationProfile(applicationId, accountId, environment, quota, allowance, baseCalls,
                0.5 + _random.NextDouble(), rateLimited, _random.NextDouble(), pairs));
        }
        return profiles;
    }

    /// <summary>Every row of one application (or of unrecognised keys, for <see cref="Guid.Empty"/>), oldest day first.</summary>
    public void Simulate(ApplicationProfile application, Action<UsageDay> writeDay, Action<UsageMinute> writeMinute)
    {
        var first = Today.AddDays(1 - options.Days);
        var minuteFrom = Today.AddDays(1 - options.MinuteDays);
        var environment = application.Id == Guid.Empty ? "" : application.Environment.ToString();
        long monthUsed = 0;
        var elapsedToday = (int)(now - now.Date).TotalMinutes + 1;
        for (var day = first; day <= Today; day = day.AddDays(1))
        {
            if (day.Day == 1) monthUsed = 0;
            var minutes = day == Today ? elapsedToday : MinutesPerDay;
            var yearFraction = (double)(day.DayNumber - first.DayNumber) / options.Days;
            var weekday = day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.6 : 1.0;
            var mean = application.BaseCallsPerDay * (1 + (application.GrowthPerYear - 1) * yearFraction) * weekday
                       * Math.Exp(0.25 * Gaussian()) * minutes / MinutesPerDay;
            var total = Poisson(mean);

            var outcomes = new List<(int Outcome, bool Counted, long Calls)>();
            if (application.Id == Guid.Empty)
            {
                outcomes.Add((UsageOutcomes.CodeOf(UsageOutcome.BadKeys), true, total));
            }
            else
            {
                var rateLimited = Part(total, application.RateLimitedShare);
                var badOrigin = Part(total - rateLimited, 0.004);
                var other = Part(total - rateLimited - badOrigin, 0.001);
                var admitted = total - rateLimited - badOrigin - other;
                var counted = Part(admitted, 0.97);
                var allowed = Math.Clamp(application.MonthlyQuota + application.OverrunAllowance - monthUsed, 0, counted);
                monthUsed += allowed;
                outcomes.Add((0, true, allowed));
                outcomes.Add((0, false, admitted - counted));
                outcomes.Add((UsageOutcomes.CodeOf(UsageOutcome.OverQuota), true, counted - allowed));
                outcomes.Add((UsageOutcomes.CodeOf(UsageOutcome.RateLimited), true, rateLimited));
                outcomes.Add((UsageOutcomes.CodeOf(UsageOutcome.BadOrigin), true, badOrigin));
                outcomes.Add((ErrorCatalogue.ApplicationOffline.Code, true, other)); // one of the rest
            }

            foreach (var (outcome, counted, calls) in outcomes)
            {
                if (calls == 0) continue;
                Calls += calls;
                writeDay(new UsageDay { ApplicationId = application.Id, Day = day, Environment = environment, Outcome = outcome, Counted = counted, Calls = calls });
                if (day >= minuteFrom) Spread(application, environment, day, minutes, outcome, counted, calls, writeMinute);
            }
        }
    }

    /// <summary>Spreads a day's calls over its minutes along a daily curve; the first key pair takes most calls.</summary>
    private void Spread(ApplicationProfile application, string environment, DateOnly day, int minutes, int outcome, bool counted, long calls, Action<UsageMinute> writeMinute)
    {
        var cumulative = new double[minutes];
        var sum = 0.0;
        for (var m = 0; m < minutes; m++)
        {
            sum += 1 + 0.8 * Math.Sin(2 * Math.PI * ((double)m / MinutesPerDay + application.Phase));
            cumulative[m] = sum;
        }
        var pairs = application.KeyPairs.Length;
        var counts = new Dictionary<int, long>();
        for (long i = 0; i < calls; i++)
        {
            var index = Array.BinarySearch(cumulative, _random.NextDouble() * sum);
            var minute = index >= 0 ? index : Math.Min(~index, minutes - 1);
            var pair = pairs > 1 && _random.NextDouble() < 0.1 ? 1 : 0;
            var key = minute * pairs + pair;
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        var start = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        foreach (var (key, count) in counts.OrderBy(c => c.Key))
            writeMinute(new UsageMinute
            {
                ApplicationId = application.Id,
                Minute = start.AddMinutes(key / pairs),
                KeyPairId = application.Id == Guid.Empty ? Guid.Empty : application.KeyPairs[key % pairs],
                Environment = environment,
                Outcome = outcome,
                Counted = counted,
                Calls = count,
            });
    }

    private static long RoundQuota(double value)
    {
        var magnitude = Math.Pow(10, Math.Max(2, Math.Floor(Math.Log10(Math.Max(value, 1)))));
        return (long)(Math.Ceiling(value / magnitude) * magnitude);
    }

    private long Part(long of, double share) => of <= 0 ? 0 : Math.Min(of, Poisson(of * share));

    private long Poisson(double mean)
    {
        if (mean <= 0) return 0;
        if (mean > 50) return Math.Max(0, (long)Math.Round(mean + Math.Sqrt(mean) * Gaussian()));
        var limit = Math.Exp(-mean);
        long k = 0;
        for (var p = _random.NextDouble(); p > limit; p *= _random.NextDouble()) k++;
        return k;
    }

    private double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());
}
