using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Data;
using ControlPanel.Domain.Keys;
using ControlPanel.Domain.Webhooks;
using ControlPanel.Tests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPanel.Api.Tests.Webhooks;

public sealed class WebhookApiTests : IAsyncLifetime
{
    private readonly ControlPanelFactory factory = new ControlPanelFactory()
        .With("Api:RequireHttps", "false")
        .With("Webhooks:AllowHttp", "true")
        .With("Webhooks:AllowPrivateAddresses", "true")
        .With("Webhooks:PollInterval", "00:00:00.050")
        .With("Webhooks:RetryInterval", "00:00:00.200")
        .With("Webhooks:MaxAttempts", "3")
        .With("Webhooks:Timeout", "00:00:10");

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await factory.DisposeAsync();

    /// <summary>An owner's account with one application; returns the owner and the application's keys.</summary>
    private async Task<(Viewer Owner, IssuedKeys Keys, Guid ApplicationId)> CreateApplicationAsync()
    {
        factory.CreateClient(); // starts the app, migrating the database
        var account = new Account { Name = "Acme" };
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<ControlPanelDbContext>>().CreateDbContextAsync())
        {
            db.Accounts.Add(account);
            await db.SaveChangesAsync();
        }
        var owner = new Viewer("owner-id", "Olivia Owner", Roles.Owner, account.Id);
        await using var scope = factory.Services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<ApplicationService>().CreateAsync(owner, new ApplicationService.Form { Name = "Storefront" });
        return (owner, created.Keys, created.Application.Id);
    }

    private static HttpRequestMessage Post(IssuedKeys? keys, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/webhooks/events") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (keys is not null)
        {
            request.Headers.Add("APPLICATIONKEY", keys.ApplicationKey);
            request.Headers.Add("CONSUMERKEY", keys.ConsumerKey);
        }
        return request;
    }

    private async Task SubscribeAsync(Viewer owner, params string[] events)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<WebhookEndpointService>().CreateAsync(owner,
            new WebhookEndpointService.Form { Url = "https://hooks.example.test/hook", Events = [.. events] });
    }

    [Fact]
    public async Task The_platform_posts_an_event_and_gets_202_with_its_id()
    {
        var (owner, keys, _) = await CreateApplicationAsync();
        await SubscribeAsync(owner, WebhookEvents.OfflineMessage);
        var response = await factory.CreateClient().SendAsync(Post(keys, """{"event_name":"offline_message","data":{"message":"hello"}}"""));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(Guid.TryParse(body.GetProperty("event_id").GetString(), out _));
    }

    [Theory]
    [InlineData("""{"event_name":"chat_started","data":{}}""", "event_name must be one of: chat_ended, offline_message.")]
    [InlineData("""{"event_name":"chat_ended"}""", "data must be a JSON object.")]
    [InlineData("""not json""", "The body must be a JSON object")]
    public async Task A_bad_event_answers_400_with_the_seed_error_body(string json, string extraInfo)
    {
        var (_, keys, _) = await CreateApplicationAsync();
        var response = await factory.CreateClient().SendAsync(Post(keys, json));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(117, body.GetProperty("Error").GetInt32());
        Assert.Equal("DATA NOT VALID", body.GetProperty("Description").GetString());
        Assert.StartsWith(extraInfo, body.GetProperty("extraInfo").GetString());
    }

    [Fact]
    public async Task An_event_nobody_subscribes_to_answers_202_no_subscriber_and_is_not_stored()
    {
        var (owner, keys, _) = await CreateApplicationAsync();
        await SubscribeAsync(owner, WebhookEvents.ChatEnded);
        var response = await factory.CreateClient().SendAsync(Post(keys, """{"event_name":"offline_message","data":{"message":"hello"}}"""));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(JsonValueKind.Null, body.GetProperty("event_id").ValueKind);
        Assert.Equal("no subscriber", body.GetProperty("info").GetString());
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<ControlPanelDbContext>>().CreateDbContextAsync();
        Assert.False(await db.WebhookEvents.AnyAsync(e => e.Name == WebhookEvents.OfflineMessage));
    }

    [Fact]
    public async Task A_bad_key_with_a_huge_body_is_refused_without_the_body_being_read()
    {
        // Real Kestrel on loopback: the in-process test server pumps a request body to its end whatever the app does.
        await using var app = new ControlPanelFactory().With("Api:RequireHttps", "false").With("Webhooks:AllowPrivateAddresses", "true");
        var port = ControlPanel.Tests.NginxGateway.FreePort();
        app.UseKestrel(port);
        app.StartServer();
        var owner = await CreateOwnerAsync(app);
        var keys = (await app.Services.UseAsync<ApplicationService, ApplicationService.Created>(a => a.CreateAsync(owner, new ApplicationService.Form { Name = "Storefront" }))).Keys;
        await app.Services.UseAsync<WebhookEndpointService>(e => e.CreateAsync(owner, new WebhookEndpointService.Form { Url = "https://hooks.example.test/hook", Events = [WebhookEvents.ChatEnded] }));

        // A raw socket, so the test sees what an attacker's client sees: the answer, and how much of 256 MB it got to send.
        const long declared = 256L * 1024 * 1024;
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var stream = tcp.GetStream();
        var head = $"POST {WebhookApiPath} HTTP/1.1\r\nHost: 127.0.0.1\r\nAPPLICATIONKEY: {keys.ApplicationKey}\r\nCONSUMERKEY: {ApiKey.New()}\r\n"
            + $"Content-Type: application/json\r\nContent-Length: {declared}\r\n\r\n" + """{"event_name":"chat_ended","data":{"text":" """.TrimEnd();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        var answer = ReadAnswerAsync(stream);
        var chunk = Encoding.ASCII.GetBytes(new string('a', 64 * 1024));
        long sent = 0;
        try
        {
            while (!answer.IsCompleted && sent < declared)
            {
                await stream.WriteAsync(chunk);
                sent += chunk.Length;
            }
        }
        catch (IOException) { } // the server closed the connection rather than drain the rest: what it should do
        var text = await answer.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.StartsWith("HTTP/1.1 403", text);
        Assert.Contains("\"Error\":204", text);
        Assert.True(sent < 16 * 1024 * 1024, $"{sent} bytes of the body were sent before the refusal.");
    }

    private const string WebhookApiPath = "/api/v1/webhooks/events";

    /// <summary>Reads the answer's head and the start of its body (enough for a JSON error body).</summary>
    private static async Task<string> ReadAnswerAsync(Stream stream)
    {
        var buffer = new byte[8192];
        var text = new StringBuilder();
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
            if (text.ToString().Contains("\r\n\r\n{") && text.ToString().TrimEnd().EndsWith('}')) break;
        }
        return text.ToString();
    }

    [Fact]
    public async Task A_body_over_the_configured_limit_answers_400_with_the_error_body()
    {
        await using var small = new ControlPanelFactory().With("Api:RequireHttps", "false").With("Webhooks:MaxEventBodyBytes", "2048")
            .With("Webhooks:AllowPrivateAddresses", "true");
        small.CreateClient();
        var owner = await CreateOwnerAsync(small);
        var keys = (await small.Services.UseAsync<ApplicationService, ApplicationService.Created>(a => a.CreateAsync(owner, new ApplicationService.Form { Name = "Storefront" }))).Keys;
        await small.Services.UseAsync<WebhookEndpointService>(e => e.CreateAsync(owner, new WebhookEndpointService.Form { Url = "https://hooks.example.test/hook", Events = [WebhookEvents.ChatEnded] }));

        var response = await small.CreateClient().SendAsync(Post(keys, """{"event_name":"chat_ended","data":{"text":"__"}}""".Replace("__", new string('a', 3000))));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(117, body.GetProperty("Error").GetInt32());
        Assert.Equal("The body is larger than 2048 bytes.", body.GetProperty("extraInfo").GetString());
        Assert.Equal(HttpStatusCode.Accepted, (await small.CreateClient().SendAsync(Post(keys, """{"event_name":"chat_ended","data":{"chat_id":"c-1"}}"""))).StatusCode);
    }

    private static async Task<Viewer> CreateOwnerAsync(ControlPanelFactory app)
    {
        var account = new Account { Name = "Acme" };
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ControlPanelDbContext>>().CreateDbContextAsync();
        db.Accounts.Add(account);
        await db.SaveChangesAsync();
        return new Viewer("owner-id", "Olivia Owner", Roles.Owner, account.Id);
    }

    [Fact]
    public async Task The_intake_sends_rate_limit_headers_on_every_answer_including_its_429()
    {
        var (_, keys, _) = await CreateApplicationAsync();
        var client = factory.CreateClient();
        string Header(HttpResponseMessage response, string name) => response.Headers.TryGetValues(name, out var values) ? values.Single() : throw new Xunit.Sdk.XunitException($"{name} is missing");
        // The seed's application-only limit: 100 a minute per application and client address.
        for (var i = 1; i <= 100; i++)
        {
            var accepted = await client.SendAsync(Post(keys, """{"event_name":"chat_ended","data":{"chat_id":"c-1"}}"""));
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            Assert.Equal("100", Header(accepted, "X-RateLimit-Limit"));
            Assert.Equal((100 - i).ToString(), Header(accepted, "X-RateLimit-Remaining"));
        }
        var throttled = await client.SendAsync(Post(keys, """{"event_name":"chat_ended","data":{"chat_id":"c-1"}}"""));
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal(158, (await throttled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("Error").GetInt32());
        Assert.Equal("100", Header(throttled, "X-RateLimit-Limit"));
        Assert.Equal("0", Header(throttled, "X-RateLimit-Remaining"));
        Assert.True(long.Parse(Header(throttled, "X-RateLimit-Reset")) > DateTimeOffset.UtcNow.AddMinutes(-2).ToUnixTimeSeconds());
    }

    [Fact]
    public async Task Without_keys_the_event_is_refused()
    {
        await CreateApplicationAsync();
        var response = await factory.CreateClient().SendAsync(Post(null, """{"event_name":"chat_ended","data":{"chat_id":"c-1"}}"""));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(201, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("Error").GetInt32());
    }

    /// <summary>A real receiver on loopback that keeps each delivery's headers and raw body.</summary>
    private sealed class Receiver(WebApplication app, string url, ConcurrentQueue<(HeaderDictionary Headers, string Body)> received) : IAsyncDisposable
    {
        public string Url => url;

        public static async Task<Receiver> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            var received = new ConcurrentQueue<(HeaderDictionary, string)>();
            app.MapPost("/hook", async (HttpContext context) =>
            {
                using var reader = new StreamReader(context.Request.Body);
                // Copied: Kestrel reuses the header collection once the request ends.
                received.Enqueue((new HeaderDictionary(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value)), await reader.ReadToEndAsync()));
                return Results.Ok();
            });
            await app.StartAsync();
            return new Receiver(app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook", received);
        }

        public async Task<(HeaderDictionary Headers, string Body)> NextAsync()
        {
            (HeaderDictionary Headers, string Body) item = default;
            await Eventually.TrueAsync(() => received.TryDequeue(out item), "a delivery at the receiver");
            return item;
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>
    /// True when the published Standard Webhooks library, holding <paramref name="secret"/>, accepts the delivery. Each signature is
    /// offered on its own, as the help page's C# verifier does: StandardWebhooks 1.1.2 checks only the first of several.
    /// </summary>
    private static bool LibraryVerifies(string secret, HeaderDictionary headers, string body) =>
        headers["webhook-signature"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(signature =>
        {
            var one = new HeaderDictionary(headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase)) { ["webhook-signature"] = signature };
            try
            {
                new StandardWebhooks.StandardWebhook(secret).Verify(body, one);
                return true;
            }
            catch (StandardWebhooks.Diagnostics.WebhookVerificationException)
            {
                return false;
            }
        });

    private async Task<T> UseEndpointsAsync<T>(Func<WebhookEndpointService, Task<T>> use)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<WebhookEndpointService>());
    }

    [Fact]
    public async Task A_posted_event_is_delivered_with_the_verification_secret_and_verifies_with_the_Standard_Webhooks_library()
    {
        await using var receiver = await Receiver.StartAsync();
        var (owner, keys, _) = await CreateApplicationAsync();
        var secret = await UseEndpointsAsync(endpoints => endpoints.CreateAsync(owner,
            new WebhookEndpointService.Form { Url = receiver.Url, Events = [WebhookEvents.ChatEnded], VerificationSecret = "yoursecret" }));

        var response = await factory.CreateClient().SendAsync(Post(keys, """{"event_name":"chat_ended","data":{"chat_id":"c-42"}}"""));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var (headers, body) = await receiver.NextAsync();
        // The seed's body, with the secret the receiver set, exactly.
        Assert.Equal("""{"event_name":"chat_ended","secret":"yoursecret","data":{"chat_id":"c-42"}}""", body);
        Assert.Matches("^v1,[A-Za-z0-9+/]{43}=$", headers["webhook-signature"].ToString());
        Assert.True(LibraryVerifies(secret.Secret, headers, body));
        Assert.False(LibraryVerifies(WebhookSecrets.NewSecret(), headers, body));
        Assert.False(LibraryVerifies(secret.Secret, headers, body.Replace("c-42", "c-43")));
    }

    [Fact]
    public async Task During_a_rotation_overlap_a_receiver_holding_either_secret_verifies_and_after_an_immediate_one_only_the_new()
    {
        await using var receiver = await Receiver.StartAsync();
        var (owner, keys, _) = await CreateApplicationAsync();
        var first = await UseEndpointsAsync(endpoints => endpoints.CreateAsync(owner,
            new WebhookEndpointService.Form { Url = receiver.Url, Events = [WebhookEvents.ChatEnded] }));
        var second = await UseEndpointsAsync(endpoints => endpoints.RotateSecretAsync(owner, first.EndpointId, RotationGrace.TwentyFourHours));

        await factory.CreateClient().SendAsync(Post(keys, """{"event_name":"chat_ended","data":{"chat_id":"c-1"}}"""));
        var (headers, body) = await receiver.NextAsync();
        Assert.Equal(2, headers["webhook-signature"].ToString().Split(' ').Count(s => s.StartsWith("v1,", StringComparison.Ordinal)));
        Assert.True(LibraryVerifies(first.Secret, headers, body));
        Assert.True(LibraryVerifies(second.Secret, headers, body));
        // The generated verification secret arrives too.
        Assert.Equal(first.VerificationSecret, JsonDocument.Parse(body).RootElement.GetProperty("secret").GetString());

        var third = await UseEndpointsAsync(endpoints => endpoints.RotateSecretAsync(owner, first.EndpointId, RotationGrace.Immediately));
        await factory.CreateClient().SendAsync(Post(keys, """{"event_name":"chat_ended","data":{"chat_id":"c-1"}}"""));
        (headers, body) = await receiver.NextAsync();
        Assert.DoesNotContain(" ", headers["webhook-signature"].ToString());
        Assert.True(LibraryVerifies(third.Secret, headers, body));
        Assert.False(LibraryVerifies(second.Secret, headers, body));
        Assert.False(LibraryVerifies(first.Secret, headers, body));
    }

    [Fact]
    public async Task Bad_webhook_options_stop_the_app_at_start()
    {
        await using var bad = new ControlPanelFactory().With("Webhooks:MaxAttempts", "0");
        var error = Assert.ThrowsAny<Exception>(() => bad.CreateClient());
        Assert.Contains("MaxAttempts", error.ToString());
    }

    [Fact]
    public void The_shipped_defaults_follow_the_seed_and_refuse_http_and_private_addresses()
    {
        using var plain = new ControlPanelFactory();
        var options = plain.Services.GetRequiredService<IOptions<WebhookOptions>>().Value;
        Assert.False(options.AllowHttp);
        Assert.False(options.AllowPrivateAddresses);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Timeout);
        Assert.Equal(TimeSpan.FromHours(1), options.RetryInterval);
        Assert.Equal(25, options.MaxAttempts);
    }
}
