using System.Net;
using ControlPanel.Web.Components.Account;

namespace ControlPanel.Api.Tests.Accounts;

/// <summary>Sign-in and registration posts are limited per client address (ASP.NET Core's rate limiter).</summary>
public sealed class SignInThrottleTests : IAsyncLifetime
{
    // A long window, so the test never crosses into a fresh one.
    private readonly ControlPanelFactory factory = new ControlPanelFactory()
        .With("AccountSecurity:SignInPostsPerAddress", "3")
        .With("AccountSecurity:SignInPostWindowMinutes", "600");

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await factory.DisposeAsync();

    private async Task<HttpStatusCode> PostAsync(string path, string address)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "login",
                ["Input.Email"] = "someone@example.test",
                ["Input.Password"] = "Wrong-password-1",
            }),
        };
        request.Headers.Add(ControlPanelFactory.ConnectionIpHeader, address);
        using var response = await factory.CreateApiClient().SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task An_address_past_its_limit_is_refused_with_429_on_sign_in_and_registration_while_others_and_page_views_are_not()
    {
        for (var i = 0; i < 3; i++)
            Assert.NotEqual(HttpStatusCode.TooManyRequests, await PostAsync("/Account/Login", "198.51.100.7"));

        Assert.Equal(HttpStatusCode.TooManyRequests, await PostAsync("/Account/Login", "198.51.100.7"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await PostAsync("/account/register", "198.51.100.7"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await PostAsync("/Account/LoginWith2fa", "198.51.100.7"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await PostAsync("/Account/ForgotPassword", "198.51.100.7"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await PostAsync("/Account/ResetPassword", "198.51.100.7"));
        Assert.NotEqual(HttpStatusCode.TooManyRequests, await PostAsync("/Account/Login", "198.51.100.8"));

        using var view = new HttpRequestMessage(HttpMethod.Get, "/Account/Login");
        view.Headers.Add(ControlPanelFactory.ConnectionIpHeader, "198.51.100.7");
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateApiClient().SendAsync(view)).StatusCode);
    }

    // The router accepts a trailing slash and any casing; the count follows the page it picked, not the raw path.
    [Theory]
    [InlineData("/Account/Login/", "198.51.100.21")]
    [InlineData("/account/LOGIN", "198.51.100.22")]
    [InlineData("/ACCOUNT/loginwith2fa/", "198.51.100.23")]
    public async Task Another_spelling_of_a_throttled_page_counts_against_the_same_limit(string path, string address)
    {
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 26; i++)
            answers.Add(await PostAsync(path, address));

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, answers.Take(3));
        Assert.All(answers.Skip(3), answer => Assert.Equal(HttpStatusCode.TooManyRequests, answer));
        Assert.Equal(HttpStatusCode.TooManyRequests, await PostAsync("/Account/Login", address));
    }

    [Fact]
    public async Task Mixed_spellings_share_one_count()
    {
        var paths = new[] { "/Account/Login/", "/account/LOGIN" };
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 26; i++)
            answers.Add(await PostAsync(paths[i % 2], "198.51.100.24"));

        Assert.Equal(23, answers.Count(answer => answer == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task The_refusal_says_why_and_when_to_retry()
    {
        for (var i = 0; i < 3; i++) await PostAsync("/Account/Register", "203.0.113.5");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/Account/Register") { Content = new FormUrlEncodedContent([]) };
        request.Headers.Add(ControlPanelFactory.ConnectionIpHeader, "203.0.113.5");
        using var response = await factory.CreateApiClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(600), response.Headers.RetryAfter?.Delta);
        Assert.Contains("Too many sign-in or registration attempts", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task IPv6_clients_share_a_limit_per_64()
    {
        for (var i = 0; i < 3; i++)
            await PostAsync("/Account/Login", $"2001:db8:1:2::{i + 1}");

        Assert.Equal(HttpStatusCode.TooManyRequests, await PostAsync("/Account/Login", "2001:db8:1:2:ffff:ffff:ffff:ffff"));
        Assert.NotEqual(HttpStatusCode.TooManyRequests, await PostAsync("/Account/Login", "2001:db8:1:3::1"));
    }

    [Theory]
    [InlineData("192.0.2.1", "192.0.2.1")]
    [InlineData("::ffff:192.0.2.1", "192.0.2.1")]
    [InlineData("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64")]
    public void Addresses_are_grouped_as_documented(string address, string key) =>
        Assert.Equal(key, SignInThrottle.AddressKey(IPAddress.Parse(address)));
}
