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
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPanel.Api.Tests;

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

    [Fact]
    public async Task The_platform_posts_an_event_and_gets_202_with_its_id()
    {
        var (_, keys, _) = await CreateApplicationAsync();
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
    public async Task Without_keys_the_event_is_refused()
    {
        await CreateApplicationAsync();
        var response = await factory.CreateClient().SendAsync(Post(null, """{"event_name":"chat_ended","data":{}}"""));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(201, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("Error").GetInt32());
    }

    [Fact]
    public async Task A_posted_event_is_delivered_by_the_running_app_to_a_subscribed_endpoint()
    {
        var received = new ConcurrentQueue<(Dictionary<string, string> Headers, string Body)>();
        var receiver = WebApplication.CreateSlimBuilder();
        receiver.Logging.ClearProviders();
        receiver.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        await using var receiverApp = receiver.Build();
        receiverApp.MapPost("/hook", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            // Copied: Kestrel reuses the header collection once the request ends.
            received.Enqueue((context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString()), await reader.ReadToEndAsync()));
            return Results.Ok();
        });
        await receiverApp.StartAsync();
        var url = receiverApp.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";

        var (owner, keys, _) = await CreateApplicationAsync();
        IssuedSecret secret;
        await using (var scope = factory.Services.CreateAsyncScope())
            secret = await scope.ServiceProvider.GetRequiredService<WebhookEndpointService>().CreateAsync(owner,
                new WebhookEndpointService.Form { Url = url, Events = [WebhookEvents.ChatEnded] });

        var response = await factory.CreateClient().SendAsync(Post(keys, """{"event_name":"chat_ended","data":{"chat_id":"c-42"}}"""));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (received.IsEmpty && DateTime.UtcNow < deadline) await Task.Delay(50);
        var (headers, body) = Assert.Single(received);
        Assert.Equal("""{"event_name":"chat_ended","secret":"__ID__","data":{"chat_id":"c-42"}}""".Replace("__ID__", secret.SecretId), body);
        Assert.True(WebhookSignature.Verify(secret.Secret, headers["Webhook-Id"], long.Parse(headers["Webhook-Timestamp"]),
            Encoding.UTF8.GetBytes(body), headers["Webhook-Signature"]));
        await receiverApp.StopAsync();
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
