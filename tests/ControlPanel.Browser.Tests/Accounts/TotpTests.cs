using System.Text;
using ControlPanel.Tests;

namespace ControlPanel.Browser.Tests.Accounts;

/// <summary>The test's own authenticator, checked against the RFC's published values before it checks the app.</summary>
public class TotpTests
{
    [Theory]
    // RFC 6238 appendix B, SHA-1 rows (8-digit values; the last 6 digits are the 6-digit code).
    [InlineData(59L, "287082")]
    [InlineData(1111111109L, "081804")]
    [InlineData(1111111111L, "050471")]
    [InlineData(1234567890L, "005924")]
    [InlineData(2000000000L, "279037")]
    [InlineData(20000000000L, "353130")]
    public void Matches_the_rfc_6238_test_vectors(long unixSeconds, string expected)
    {
        var key = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"; // base32 of "12345678901234567890"
        Assert.Equal(expected, Totp.Code(key, DateTimeOffset.FromUnixTimeSeconds(unixSeconds)));
    }

    [Fact]
    public void Decodes_base32_in_any_case_with_spaces()
    {
        Assert.Equal("12345678901234567890", Encoding.ASCII.GetString(Totp.DecodeBase32("gezd gnbv gy3t qojq GEZD GNBV GY3T QOJQ")));
        Assert.Equal("foobar", Encoding.ASCII.GetString(Totp.DecodeBase32("MZXW6YTBOI======")));
    }
}
