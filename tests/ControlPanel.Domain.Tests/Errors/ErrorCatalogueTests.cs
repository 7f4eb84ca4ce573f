using System.Globalization;
using ControlPanel.Domain.Errors;
using ControlPanel.Tests;

namespace ControlPanel.Domain.Tests.Errors;

public class ErrorCatalogueTests
{
    // Counted from the error-code table of the SYNAPPS guide (seed 000): 137 rows,
    // 73 in the 1xx range, 52 in 2xx, 11 in 3xx and one (403) in 4xx.
    private const int RowsInGuide = 137;

    [Fact]
    public void Catalogue_has_every_row_of_the_guide()
    {
        Assert.Equal(RowsInGuide, ErrorCatalogue.All.Count);
    }

    [Theory]
    [InlineData(1, 73)]
    [InlineData(2, 52)]
    [InlineData(3, 11)]
    [InlineData(4, 1)]
    public void Rows_per_hundred_match_the_guide(int hundred, int expectedRows)
    {
        int rows = ErrorCatalogue.All.Count(error => error.Code / 100 == hundred);

        Assert.Equal(expectedRows, rows);
    }

    [Fact]
    public void Codes_are_unique_and_in_ascending_order_as_in_the_guide()
    {
        var codes = ErrorCatalogue.All.Select(error => error.Code).ToList();

        Assert.Equal(codes.Order().Distinct(), codes);
    }

    /// <summary>Every row of the guide's table (GuideErrorTable.md, copied from the guide): code, severity, status, description.</summary>
    public static TheoryData<int, string, string, int> GuideRows()
    {
        var rows = new TheoryData<int, string, string, int>();
        foreach (var line in File.ReadLines(Repository.Path("tests", "ControlPanel.Domain.Tests", "Errors", "GuideErrorTable.md")))
        {
            // "| 262 | CRITICAL | READ DATABASE CONNECTION FAILED  | 503 (Service Unavailable) |": one space pads each cell.
            if (!line.StartsWith("| ", StringComparison.Ordinal) || !char.IsAsciiDigit(line[2])) continue;
            var cells = line[2..^2].Split(" | ");
            rows.Add(int.Parse(cells[0], CultureInfo.InvariantCulture), cells[1], cells[2], int.Parse(cells[3][..3], CultureInfo.InvariantCulture));
        }
        return rows;
    }

    [Fact]
    public void The_guides_table_has_137_rows()
    {
        Assert.Equal(RowsInGuide, GuideRows().Count);
    }

    [Theory]
    [MemberData(nameof(GuideRows))]
    public void Each_row_is_the_guides_byte_for_byte(int code, string severity, string description, int httpStatus)
    {
        Assert.Equal(new ApiError(code, severity, description, httpStatus), ErrorCatalogue.Get(code));
    }

    [Fact]
    public void First_and_last_rows_are_the_guides_first_and_last()
    {
        Assert.Equal(101, ErrorCatalogue.All[0].Code);
        Assert.Equal(403, ErrorCatalogue.All[^1].Code);
    }

    [Theory]
    [InlineData(200, 104)]
    [InlineData(304, 1)]
    [InlineData(401, 5)]
    [InlineData(403, 5)]
    [InlineData(405, 7)]
    [InlineData(406, 2)]
    [InlineData(423, 1)]
    [InlineData(426, 1)]
    [InlineData(429, 1)]
    [InlineData(501, 1)]
    [InlineData(503, 9)]
    public void Http_statuses_are_distributed_as_in_the_guide(int httpStatus, int expectedRows)
    {
        Assert.Equal(expectedRows, ErrorCatalogue.All.Count(error => error.HttpStatus == httpStatus));
    }

    [Theory]
    [InlineData("INFO", 114)]
    [InlineData("NOTICE", 8)]
    [InlineData("CRITICAL", 8)]
    [InlineData("WARNING", 4)]
    [InlineData("HIGH", 3)]
    public void Severities_are_distributed_as_in_the_guide(string severity, int expectedRows)
    {
        Assert.Equal(expectedRows, ErrorCatalogue.All.Count(error => error.Severity == severity));
    }

    [Fact]
    public void Descriptions_are_the_guides_text_exactly()
    {
        // Only the three rows the guide wrote with extra spaces have them; every other description is plain.
        var irregular = ErrorCatalogue.All.Where(error => error.Description != error.Description.Trim() || error.Description.Contains("  ")).Select(error => error.Code);
        Assert.Equal([131, 132, 262], irregular);
        Assert.All(ErrorCatalogue.All, error => Assert.NotEmpty(error.Description.Trim()));
    }

    [Fact]
    public void Named_errors_carry_their_codes()
    {
        var expected = new (ApiError Error, int Code)[]
        {
            (ErrorCatalogue.NotUsingHttps, 101),
            (ErrorCatalogue.InvalidHeaders, 102),
            (ErrorCatalogue.QuotaExceeded, 103),
            (ErrorCatalogue.MissingParameter, 106),
            (ErrorCatalogue.ApplicationOffline, 110),
            (ErrorCatalogue.BadOriginIp, 111),
            (ErrorCatalogue.TokenExpired, 113),
            (ErrorCatalogue.InvalidToken, 114),
            (ErrorCatalogue.DataNotValid, 117),
            (ErrorCatalogue.RateLimitExceeded, 158),
            (ErrorCatalogue.NoTokenOrSession, 194),
            (ErrorCatalogue.MissingApplicationKey, 201),
            (ErrorCatalogue.MissingConsumerKey, 202),
            (ErrorCatalogue.NotAuthorised, 204),
            (ErrorCatalogue.AccountLocked, 225),
            (ErrorCatalogue.EnvironmentNotEnabled, 259),
            (ErrorCatalogue.InvalidView, 309),
            (ErrorCatalogue.InvalidDateRange, 311),
        };

        Assert.All(expected, pair =>
        {
            Assert.NotNull(pair.Error);
            Assert.Equal(pair.Code, pair.Error.Code);
            Assert.Same(ErrorCatalogue.Get(pair.Code), pair.Error);
        });
    }

    [Fact]
    public void Rate_limit_error_is_the_guides_429()
    {
        Assert.Equal("RATE LIMIT EXCEEDED", ErrorCatalogue.RateLimitExceeded.Description);
        Assert.Equal(429, ErrorCatalogue.RateLimitExceeded.HttpStatus);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(107)]
    [InlineData(116)]
    [InlineData(200)]
    [InlineData(308)]
    [InlineData(404)]
    public void Unknown_codes_are_not_found(int code)
    {
        Assert.Throws<KeyNotFoundException>(() => ErrorCatalogue.Get(code));
        Assert.False(ErrorCatalogue.TryGet(code, out var error));
        Assert.Null(error);
    }

    [Fact]
    public void TryGet_finds_a_listed_code()
    {
        Assert.True(ErrorCatalogue.TryGet(225, out var error));
        Assert.Equal("ACCOUNT IS LOCKED", error.Description);
    }

    [Fact]
    public void All_cannot_be_modified_through_a_cast()
    {
        var list = Assert.IsAssignableFrom<IList<ApiError>>(ErrorCatalogue.All);

        Assert.True(list.IsReadOnly);
        Assert.Throws<NotSupportedException>(() => list[0] = new ApiError(1, "INFO", "X", 200));
    }
}
