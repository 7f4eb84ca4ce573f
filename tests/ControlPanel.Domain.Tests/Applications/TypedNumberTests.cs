using ControlPanel.Domain.Applications;

namespace ControlPanel.Domain.Tests.Applications;

/// <summary>What an Admin types as a quota, an allowance or a limit: digits are read, anything else is refused, never shortened.</summary>
public sealed class TypedNumberTests
{
    [Theory]
    [InlineData("5000", 5000)]
    [InlineData(" 5000 ", 5000)]
    [InlineData("1,000,000", 1_000_000)]
    [InlineData("1 000 000", 1_000_000)]
    [InlineData("1_000", 1000)]
    [InlineData("-5", -5)]
    [InlineData("0", 0)]
    public void Digits_with_group_separators_are_read(string text, long expected)
    {
        Assert.True(TypedNumber.TryParse(text, "the monthly quota", optional: false, out var value, out var error));
        Assert.Equal(expected, value);
        Assert.Null(error);
    }

    [Theory]
    [InlineData("5k")]
    [InlineData("5K")]
    [InlineData("1.5")]
    [InlineData("5,5,")]
    [InlineData("5 000 calls")]
    [InlineData("1e6")]
    [InlineData(",5")]
    [InlineData("-")]
    [InlineData("12345678901234567890")]
    public void Anything_else_is_refused_with_a_message_naming_the_field(string text)
    {
        Assert.False(TypedNumber.TryParse(text, "the monthly quota", optional: true, out var value, out var error));
        Assert.Null(value);
        Assert.Contains("the monthly quota as a whole number", error);
        Assert.Contains("not 5k", error);
    }

    [Fact]
    public void Blank_is_the_default_when_optional_and_refused_otherwise()
    {
        Assert.True(TypedNumber.TryParse("  ", "the limit", optional: true, out var value, out var error));
        Assert.Null(value);
        Assert.Null(error);
        Assert.False(TypedNumber.TryParse("", "the overrun allowance", optional: false, out _, out error));
        Assert.Contains("the overrun allowance", error);
    }

    [Theory]
    [InlineData(1_000_000, 5, true)]
    [InlineData(1_000_000, 99_999, true)]
    [InlineData(1_000_000, 100_000, false)]
    [InlineData(1_000_000, 2_000_000, false)]
    [InlineData(0, 0, false)]
    [InlineData(100, 0, true)]
    [InlineData(100, -5, false)]
    public void A_cut_of_more_than_90_percent_is_steep(long before, long after, bool steep) =>
        Assert.Equal(steep, TypedNumber.IsSteepCut(before, after));
}
