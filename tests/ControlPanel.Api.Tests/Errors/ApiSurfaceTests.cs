using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ControlPanel.Domain.Accounts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static ControlPanel.Api.Tests.ApiRequests;

namespace ControlPanel.Api.Tests.Errors;

/// <summary>
/// Everything under /api answers JSON in the error body shape, with the status ApiError.RefusalStatus
/// gives the code: never HTTP 200 for a refusal, never the UI's HTML not-found page.
/// </summary>
public sealed partial class ApiSurfaceTests(ControlPanelFactory factory) : IClassFixture<ControlPanelFactory>
{
    private const string OwnerPassword = "Owner-password-1";

    [Theory]
    [InlineData("GET", "/api/v1/no-such-thing", HttpStatusCode.NotFound, 195)]
    [InlineData("POST", "/api/v1/check/nowhere/else", HttpStatusCode.NotFound, 195)]
    [InlineData("GET", "/api/v2/check", HttpStatusCode.NotFound, 195)]
    [InlineData("GET", "/api", HttpStatusCode.NotFound, 195)]
    [InlineData("GET", "/api/v1/verify", HttpStatusCode.MethodNotAllowed, 132)]
    [InlineData("DELETE", "/api/v1/verify", HttpStatusCode.MethodNotAllowed, 130)]
    [InlineData("PUT", "/api/v1/session", HttpStatusCode.MethodNotAllowed, 128)]
    [InlineData("OPTIONS", "/api/v1/session/view", HttpStatusCode.MethodNotAllowed, 131)]
    [InlineData("POST", "/api/v1/usage", HttpStatusCode.MethodNotAllowed, 134)]
    [InlineData("PATCH", "/api/v1/helper/error", HttpStatusCode.MethodNotAllowed, 134)]
    [InlineData("GET", "/api/v1/webhooks/events", HttpStatusCode.MethodNotAllowed, 132)]
    [InlineData("GET", "/api/v1/usage", HttpStatusCode.Unauthorized, 226)]
    [InlineData("GET", "/api/v1/usage/history.csv", HttpStatusCode.Unauthorized, 226)]
    [InlineData("GET", "/api/v1/usage/resources.csv", HttpStatusCode.Unauthorized, 226)]
    public async Task Unknown_paths_wrong_methods_and_anonymous_calls_answer_json_errors(string method, string path, HttpStatusCode status, int code)
    {
        var response = await factory.CreateApiClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(status, response.StatusCode);
        var body = await response.ReadErrorAsync();
        Assert.Equal(code, body.Error);
        Assert.Equal(ControlPanel.Domain.Errors.ErrorCatalogue.Get(code).RefusalStatus, (int)status);
    }

    [Fact]
    public async Task Usage_refusals_are_never_http_200_and_never_html()
    {
        var client = await SignedInOwnerAsync();
        var someoneElses = await factory.CreateApplicationAsync();

        // 311 INVALID DATE RANGE and 117 DATA NOT VALID are 200 in the guide's table: as refusals they answer 400.
        await AssertErrorAsync(client, "/api/v1/usage?from=yesterday", HttpStatusCode.BadRequest, 311);
        await AssertErrorAsync(client, "/api/v1/usage?from=2026-02-01&to=2026-01-01", HttpStatusCode.BadRequest, 311);
        await AssertErrorAsync(client, "/api/v1/usage/history.csv?to=31-12-2026", HttpStatusCode.BadRequest, 311);
        await AssertErrorAsync(client, "/api/v1/usage?environment=Production", HttpStatusCode.BadRequest, 117);
        // A parameter the framework cannot bind.
        await AssertErrorAsync(client, "/api/v1/usage?applicationId=not-a-guid", HttpStatusCode.BadRequest, 117);
        await AssertErrorAsync(client, "/api/v1/usage/history.csv?descending=perhaps", HttpStatusCode.BadRequest, 117);
        // Another account's application and one that does not exist: the same "not found" as the management API
        // (DomainRefusals), so an id tells nothing; never the HTML not-found page.
        await AssertErrorAsync(client, $"/api/v1/usage?applicationId={someoneElses.Id}", HttpStatusCode.NotFound, 195);
        await AssertErrorAsync(client, $"/api/v1/usage/history.csv?applicationId={someoneElses.Id}", HttpStatusCode.NotFound, 195);
        await AssertErrorAsync(client, $"/api/v1/usage/history.csv?applicationId={Guid.NewGuid()}", HttpStatusCode.NotFound, 195);
        await AssertErrorAsync(client, $"/api/v1/usage/resources.csv?applicationId={someoneElses.Id}", HttpStatusCode.NotFound, 195);
        await AssertErrorAsync(client, "/api/v1/usage/resources.csv?from=2026-02-01&to=2026-01-01", HttpStatusCode.BadRequest, 311);
        var theirs = await (await client.GetAsync($"/api/v1/usage?applicationId={someoneElses.Id}")).Content.ReadAsStringAsync();
        var nobodys = await (await client.GetAsync($"/api/v1/usage?applicationId={Guid.NewGuid()}")).Content.ReadAsStringAsync();
        Assert.Equal(nobodys, theirs);

        // The owner's own usage still answers, by resource too (a file with the Resource column).
        var own = await client.GetAsync("/api/v1/usage");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        var byResource = await client.GetAsync("/api/v1/usage/resources.csv");
        Assert.Equal(HttpStatusCode.OK, byResource.StatusCode);
        Assert.Equal("text/csv", byResource.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("Day (UTC),Account,Application,Environment,Resource,Allowed,", (await byResource.Content.ReadAsStringAsync()).TrimStart('\uFEFF'));
    }

    [Fact]
    public async Task Staff_who_must_still_set_up_two_factor_are_nobody_to_the_usage_api()
    {
        var email = $"support-{Guid.NewGuid():N}@controlpanel.test";
        await factory.UseAsync<UserManager<ControlPanelUser>>(async users =>
        {
            var user = new ControlPanelUser { UserName = email, Email = email, DisplayName = "Sam Support", EmailConfirmed = true };
            Assert.True((await users.CreateAsync(user, OwnerPassword)).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, Roles.Support)).Succeeded);
        });
        // Signed in with the cookie (AccountSecurity:RequireTwoFactorForStaff is on by default), but not yet with two-factor.
        var client = await SignedInAsync(email, OwnerPassword);
        Assert.Equal("/Account/Manage/TwoFactor", (await client.GetAsync("/")).Headers.Location?.OriginalString);

        foreach (var path in new[] { "/api/v1/usage", "/api/v1/usage/history.csv" })
        {
            var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{path}: {(int)response.StatusCode}");
            Assert.Equal(226, (await response.ReadErrorAsync()).Error);
        }
    }

    /// <summary>The check's other methods, answered for gateways that keep the client's method, are its only undocumented aliases.</summary>
    private static readonly string[] UndocumentedCheckMethods = ["PUT", "PATCH", "DELETE", "OPTIONS"];

    [Fact]
    public async Task Every_api_endpoint_is_in_the_openapi_document()
    {
        var document = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var documented = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => $"{operation.Name.ToUpperInvariant()} {path.Name}")).ToHashSet();

        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Path: OpenApiPath(e.RoutePattern.RawText ?? ""), Methods: e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [],
                Excluded: e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>()?.ExcludeFromDescription == true))
            .Where(e => e.Path.StartsWith("/api/", StringComparison.OrdinalIgnoreCase))
            .ToList();
        // The key validation, webhook, usage and management groups.
        Assert.Contains(endpoints, e => e.Path == "/api/v1/webhooks/events");
        Assert.Contains(endpoints, e => e.Path == "/api/v1/usage/history.csv");
        Assert.Contains(endpoints, e => e.Path.StartsWith("/api/v1/manage/"));

        foreach (var (path, methods, excluded) in endpoints)
        {
            Assert.NotEmpty(methods);
            if (excluded)
            {
                // Envoy's calls below its check path answer as the documented /api/v1/check/envoy does.
                Assert.True((path is "/api/v1/check" or "/api/v1/check/nginx" or "/api/v1/check/envoy" && methods.All(UndocumentedCheckMethods.Contains))
                    || path.StartsWith("/api/v1/check/envoy/", StringComparison.Ordinal), $"{string.Join(",", methods)} {path} is left out of the document");
                continue;
            }
            foreach (var method in methods) Assert.True(documented.Contains($"{method} {path}"), $"{method} {path} is not in the document");
        }
    }

    /// <summary>A route pattern as the document writes it: one leading slash, no trailing one, parameters without constraints.</summary>
    private static string OpenApiPath(string pattern) => RouteParameter().Replace("/" + pattern.Trim('/'), "{$1}");

    [GeneratedRegex(@"\{([^}:=?]+)[^}]*\}")]
    private static partial Regex RouteParameter();

    [Fact]
    public async Task Pages_still_get_the_html_not_found_page()
    {
        var response = await factory.CreateClient().GetAsync("/no/such/page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("data-testid=\"not-found\"", await response.Content.ReadAsStringAsync());
    }

    private static async Task AssertErrorAsync(HttpClient client, string path, HttpStatusCode status, int code)
    {
        var response = await client.GetAsync(path);
        Assert.True(status == response.StatusCode, $"{path}: {(int)response.StatusCode}");
        Assert.Equal(code, (await response.ReadErrorAsync()).Error);
    }

    /// <summary>A client signed in through the real sign-in form as the Owner of a newly registered account.</summary>
    private async Task<HttpClient> SignedInOwnerAsync()
    {
        var email = $"owner-{Guid.NewGuid():N}@controlpanel.test";
        await factory.UseAsync<Registration>(async registration =>
        {
            var (result, _) = await registration.RegisterOwnerAsync(new Registration.Form
            {
                AccountName = "Surface test",
                DisplayName = "Owner",
                Email = email,
                Password = OwnerPassword,
                ConfirmPassword = OwnerPassword,
            });
            Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
        });

        return await SignedInAsync(email, OwnerPassword);
    }

    /// <summary>A client signed in through the real sign-in form.</summary>
    private async Task<HttpClient> SignedInAsync(string email, string password)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        var form = await client.GetStringAsync("/Account/Login");
        var token = AntiforgeryField().Match(form).Groups[1].Value;
        var signIn = await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return client;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
