using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Errors;
using ControlPanel.Domain.Usage;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Tests.Usage;

/// <summary>The outcome list is the one place outcomes are defined: it covers every code and names every per-outcome column.</summary>
public sealed class UsageOutcomeTests
{
    [Fact]
    public void The_list_has_each_outcome_once_in_the_enum_order_with_its_own_code_column_and_label()
    {
        Assert.Equal(Enum.GetValues<UsageOutcome>(), UsageOutcomes.Definitions.Select(d => d.Outcome));
        Assert.Equal(UsageOutcomes.Definitions.Count, UsageOutcomes.Definitions.Select(d => d.Column).Distinct().Count());
        Assert.Equal(UsageOutcomes.Definitions.Count, UsageOutcomes.Definitions.Select(d => d.Label).Distinct().Count());
        Assert.Equal(UsageOutcomes.Coded.Count, UsageOutcomes.Coded.Select(d => d.Code).Distinct().Count());
        Assert.Single(UsageOutcomes.Definitions, d => d.Code is null);
        Assert.Equal(0, UsageOutcomes.CodeOf(UsageOutcome.Allowed));
    }

    [Fact]
    public void Every_code_the_meter_can_record_falls_into_its_own_outcome_or_the_rest()
    {
        // The meter records 0 for an allowed call and the error code answered otherwise: any code of the catalogue.
        int[] recordable = [0, .. ErrorCatalogue.All.Select(e => e.Code)];
        foreach (var code in recordable)
        {
            var own = UsageOutcomes.Coded.SingleOrDefault(d => d.Code == code);
            Assert.Equal(own?.Outcome ?? UsageOutcomes.Rest, UsageOutcomes.Of(code));
        }
        // Each outcome with a code names one the check really answers, and reads back as itself.
        foreach (var definition in UsageOutcomes.Coded)
        {
            Assert.Contains(definition.Code!.Value, recordable);
            Assert.Equal(definition.Outcome, UsageOutcomes.Of(UsageOutcomes.CodeOf(definition.Outcome)));
            Assert.StartsWith(definition.Code == 0 ? "Allowed" : $"{definition.Code} ", definition.Label);
        }
        // The refusals owners act on each have an outcome of their own.
        foreach (var refusal in new[] { ErrorCatalogue.RateLimitExceeded, ErrorCatalogue.QuotaExceeded, ErrorCatalogue.BadOriginIp, ErrorCatalogue.NotAuthorised })
            Assert.NotEqual(UsageOutcomes.Rest, UsageOutcomes.Of(refusal.Code));
    }

    [Fact]
    public void The_per_outcome_rows_have_a_count_for_each_outcome_and_no_other()
    {
        AssertColumns<UsageApplicationDay>();
        AssertColumns<UsageReports.HistoryRow>();
        AssertColumns<UsageReports.ResourceHistoryRow>();
    }

    /// <summary>Every long property but the total and the counted calls is an outcome's: a column left out of the list fails here.</summary>
    private static void AssertColumns<TRow>()
    {
        var counts = typeof(TRow).GetProperties().Where(p => p.PropertyType == typeof(long) && p.GetIndexParameters().Length == 0)
            .Select(p => p.Name).Except(["Total", "Counted"]);
        Assert.Equal(UsageOutcomes.Definitions.Select(d => d.Column).Order(), counts.Order());
        Assert.All(UsageOutcomes.All, o => Assert.Equal(UsageOutcomes.Definition(o).Column, UsageOutcomeColumns<TRow>.Property(o).Name));
    }

    [Fact]
    public void Sorting_by_an_outcome_column_is_parsed_from_the_list_in_any_case()
    {
        foreach (var definition in UsageOutcomes.Definitions)
        {
            Assert.True(UsageReports.HistoryColumn.TryParse(definition.Column.ToLowerInvariant(), out var column));
            Assert.Equal(definition.Outcome, column.Outcome);
        }
        Assert.True(UsageReports.HistoryColumn.TryParse("total", out var total));
        Assert.Equal((UsageReports.HistoryColumn.Total, (UsageOutcome?)null), (total, total.Outcome));
        Assert.False(UsageReports.HistoryColumn.TryParse("Calls", out var unknown));
        Assert.Equal(UsageReports.HistoryColumn.Day, unknown);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_flush_adds_each_code_to_its_outcome_column_of_the_history_row(DatabaseProvider provider)
    {
        var at = new DateTime(2026, 11, 23, 10, 5, 0, DateTimeKind.Utc);
        using var bed = await UsageTestBed.CreateAsync(provider, at);
        var applicationId = Guid.NewGuid();
        // One call of each outcome's code, two of codes without one of their own (they are the rest's).
        foreach (var definition in UsageOutcomes.Coded)
            bed.Meter.Record(applicationId, Guid.NewGuid(), ApplicationEnvironment.Live, definition.Code!.Value, counted: true, at);
        int[] others = [.. ErrorCatalogue.All.Select(e => e.Code).Where(c => UsageOutcomes.Coded.All(d => d.Code != c)).Take(2)];
        foreach (var code in others) bed.Meter.Record(applicationId, Guid.NewGuid(), ApplicationEnvironment.Live, code, counted: true, at);
        await bed.Meter.FlushAsync(at.AddMinutes(1));

        await using var db = bed.Database.CreateContext();
        var row = await db.UsageApplicationDays.AsNoTracking().SingleAsync(d => d.ApplicationId == applicationId);
        foreach (var outcome in UsageOutcomes.All)
            Assert.Equal(outcome == UsageOutcomes.Rest ? others.Length : 1, UsageOutcomeColumns<UsageApplicationDay>.Get(row, outcome));
        Assert.Equal((UsageOutcomes.Coded.Count + others.Length, 1L), (row.Total, row.Counted));
    }
}
