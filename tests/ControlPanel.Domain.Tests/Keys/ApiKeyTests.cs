using ControlPanel.Domain.Keys;

namespace ControlPanel.Domain.Tests.Keys;

public class ApiKeyTests
{
    [Fact]
    public void New_keys_are_32_lowercase_hex_characters_and_do_not_repeat()
    {
        var keys = Enumerable.Range(0, 20_000).Select(_ => ApiKey.New()).ToList();
        Assert.All(keys, key => Assert.Matches("^[0-9a-f]{32}$", key));
        Assert.Equal(keys.Count, keys.Distinct().Count());
    }

    [Fact]
    public void New_keys_use_every_hex_digit_about_evenly()
    {
        // 128 random bits per key: over 2,000 keys each of the 16 digits appears about 4,000 times.
        var counts = string.Concat(Enumerable.Range(0, 2_000).Select(_ => ApiKey.New())).GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(16, counts.Count);
        Assert.All(counts.Values, count => Assert.InRange(count, 3_500, 4_500));
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef", true)]
    [InlineData("0123456789ABCDEF0123456789abcdef", true)]
    [InlineData("0123456789abcdef0123456789abcde", false)]
    [InlineData("0123456789abcdef0123456789abcdeg", false)]
    [InlineData("0123456789abcdef0123456789abcdéf", false)]
    [InlineData("", false)]
    public void Well_formed_keys_are_32_hex_characters(string key, bool expected) =>
        Assert.Equal(expected, ApiKey.IsWellFormed(key));

    [Fact]
    public void The_hash_is_sha256_of_the_lowercase_key_and_ignores_case()
    {
        var key = "0123456789abcdef0123456789abcdef";
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(key)));
        Assert.Equal(expected, ApiKey.HashHex(key));
        Assert.Equal(expected, ApiKey.HashHex(key.ToUpperInvariant()));
    }

    [Fact]
    public void Issued_keys_do_not_print_their_secrets()
    {
        var issued = new IssuedKeys(Guid.NewGuid(), ApiKey.New(), ApiKey.New());
        Assert.DoesNotContain(issued.ApplicationKey, issued.ToString());
        Assert.DoesNotContain(issued.ConsumerKey, issued.ToString());
    }
}
