using System.Globalization;
using ControlPanel.Domain.Usage;
using CsvHelper;
using CsvHelper.Configuration;

namespace ControlPanel.Web.Usage;

/// <summary>The usage history table as a CSV file: the same rows, in the same order, under the table's headings.</summary>
public static class UsageCsv
{
    public static Task WriteAsync(Stream output, IAsyncEnumerable<UsageReports.HistoryRow> rows, CancellationToken cancellationToken) =>
        WriteAsync<UsageReports.HistoryRow, HistoryRowMap>(output, rows, cancellationToken);

    /// <summary>The history by day, application and resource: the same outcome columns, with the resource's.</summary>
    public static Task WriteResourcesAsync(Stream output, IAsyncEnumerable<UsageReports.ResourceHistoryRow> rows, CancellationToken cancellationToken) =>
        WriteAsync<UsageReports.ResourceHistoryRow, ResourceRowMap>(output, rows, cancellationToken);

    private static async Task WriteAsync<TRow, TMap>(Stream output, IAsyncEnumerable<TRow> rows, CancellationToken cancellationToken) where TMap : ClassMap<TRow>
    {
        // UTF-8 with a byte-order mark: without it spreadsheet programs read the file as their local code page and
        // garble accented names.
        await using var writer = new StreamWriter(output, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true);
        // Names are chosen by customers and staff open the file in spreadsheets: a cell starting with =, +, -, @,
        // tab or carriage return gets a leading quote so it is read as text, never run as a formula.
        await using var csv = new CsvWriter(writer, new CsvConfiguration(CultureInfo.InvariantCulture) { InjectionOptions = InjectionOptions.Escape });
        csv.Context.RegisterClassMap<TMap>();
        await csv.WriteRecordsAsync(rows, cancellationToken);
    }

    public static string FileName(UsageReports.DateRange range, string kind = "usage") => $"{kind}-{range.From:yyyy-MM-dd}-to-{range.To:yyyy-MM-dd}.csv";

    /// <summary>A column per outcome, in the list's order, headed by its label.</summary>
    private static void MapOutcomes<TRow>(ClassMap<TRow> map)
    {
        foreach (var outcome in UsageOutcomes.All)
            map.Map(typeof(TRow), UsageOutcomeColumns<TRow>.Property(outcome)).Name(outcome.Label());
    }

    private sealed class HistoryRowMap : ClassMap<UsageReports.HistoryRow>
    {
        public HistoryRowMap()
        {
            Map(r => r.Day).Name("Day (UTC)").TypeConverterOption.Format("yyyy-MM-dd");
            Map(r => r.AccountName).Name("Account");
            Map(r => r.ApplicationName).Name("Application");
            Map(r => r.Environment).Name("Environment");
            MapOutcomes(this);
            Map(r => r.Total).Name("Total");
            Map(r => r.Counted).Name("Counted towards quota");
        }
    }

    private sealed class ResourceRowMap : ClassMap<UsageReports.ResourceHistoryRow>
    {
        public ResourceRowMap()
        {
            Map(r => r.Day).Name("Day (UTC)").TypeConverterOption.Format("yyyy-MM-dd");
            Map(r => r.AccountName).Name("Account");
            Map(r => r.ApplicationName).Name("Application");
            Map(r => r.Environment).Name("Environment");
            Map(r => r.Resource).Name("Resource");
            MapOutcomes(this);
            Map(r => r.Total).Name("Total");
        }
    }
}
