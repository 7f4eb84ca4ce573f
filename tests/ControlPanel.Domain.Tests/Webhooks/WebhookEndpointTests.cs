using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Text;
using System.Text.Json;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Keys;
using ControlPanel.Domain.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Tests.Webhooks;

/// <summary>Endpoint rules: URLs, secrets, audit, who sees what; and which events reach which endpoints.</summary>
public sealed class WebhookEndpointTests
{
    /// <summary>The shipped defaults: HTTPS only, public addresses only.</summary>
    private static WebhookOptions Strict() => new();

    [Theory]
    [InlineData("http://example.com/hook", "must use HTTPS")]
    [InlineData("ftp://example.com/hook", "Enter a full URL")]
    [InlineData("not a url", "Enter a full URL")]
    [InlineData("", "Enter the URL")]
    [InlineData("https://user:secret@example.com/hook", "user name and password")]
    [InlineData("https://127.0.0.1/hook", "non-public address")]
    [InlineData("https://localhost:8443/hook", "non-public address")]
    [InlineData("https://[::1]/hook", "non-public address")]
    [InlineData("https://10.1.2.3/hook", "non-public address")]
    [InlineData("https://172.20.0.1/hook", "non-public address")]
    [InlineData("https://192.168.1.10/hook", "non-public address")]
    [InlineData("https://[fd12::1]/hook", "non-public address")]
    [InlineData("https://[::ffff:10.0.0.1]/hook", "non-public address")]
    [InlineData("https://169.254.10.20/hook", "non-public address")]
    [InlineData("https://[fe80::1]/hook", "non-public address")]
    [InlineData("https://169.254.169.254/latest/meta-data", "non-public address")]
    [InlineData("https://100.100.100.200/hook", "non-public address")]
    [InlineData("https://0.0.0.0/hook", "non-public address")]
    public async Task Refused_urls_get_a_clear_validation_message(string url, string expected)
    {
        await using var bed = await WebhookTestBed.CreateAsync(Strict());
        var error = await Assert.ThrowsAsync<ValidationException>(() => bed.AddEndpointAsync(url));
        Assert.Contains(expected, error.Message);
        Assert.Empty(await bed.Endpoints.ListAsync(bed.Owner));
    }

    [Fact]
    public async Task A_refusal_does_not_name_the_private_address_a_host_resolves_to()
    {
        await using var bed = await WebhookTestBed.CreateAsync(Strict());
        var error = await Assert.ThrowsAsync<ValidationException>(() => bed.AddEndpointAsync("https://localhost:8443/hook"));
        Assert.Contains("localhost resolves to a non-public address", error.Message);
        Assert.DoesNotContain("127.0.0.1", error.Message);
        Assert.DoesNotContain("::1", error.Message);
        Assert.DoesNotContain("loopback", error.Message);
    }

    [Fact]
    public async Task A_public_https_address_is_accepted_and_private_ones_only_where_configuration_allows()
    {
        await using (var strict = await WebhookTestBed.CreateAsync(Strict()))
            await strict.AddEndpointAsync("https://203.0.114.7/hooks/controlpanel");
        await using var relaxed = await WebhookTestBed.CreateAsync(new WebhookOptions { AllowHttp = true, AllowPrivateAddresses = true });
        await relaxed.AddEndpointAsync("http://127.0.0.1:9/hook");
    }

    [Theory]
    [InlineData("8.8.8.8", null)]
    [InlineData("2606:4700::1111", null)]
    [InlineData("172.32.0.1", null)]
    [InlineData("127.10.0.1", "a loopback")]
    [InlineData("100.64.0.1", "a private (carrier-grade NAT)")]
    [InlineData("64:ff9b::a00:1", "a private")]
    [InlineData("fd00:ec2::254", "a cloud metadata")]
    [InlineData("224.0.0.1", "a multicast")]
    // IPv4 carried in IPv6 is judged as the IPv4 address inside.
    [InlineData("::ffff:10.0.0.1", "a private")]
    [InlineData("::10.0.0.1", "a private")]
    [InlineData("::127.0.0.1", "a loopback")]
    [InlineData("::169.254.169.254", "a cloud metadata")]
    [InlineData("::8.8.8.8", "a reserved (IPv4-compatible)")]
    [InlineData("::", "an unspecified")]
    [InlineData("::1", "a loopback")]
    [InlineData("2002:a00:1::1", "a private")]
    [InlineData("2002:c0a8:101::", "a private")]
    [InlineData("2002:7f00:1::", "a loopback")]
    [InlineData("2002:a9fe:a9fe::1", "a cloud metadata")]
    [InlineData("2002:808:808::1", null)]
    [InlineData("64:ff9b:1::a00:1", "a private (local-use NAT64)")]
    [InlineData("64:ff9b:1:ffff::1", "a private (local-use NAT64)")]
    [InlineData("64:ff9b::808:808", null)]
    [InlineData("fec0::1", "a private (site-local)")]
    [InlineData("feff:ffff::1", "a private (site-local)")]
    public void Address_rules_name_the_range(string address, string? expected) =>
        Assert.Equal(expected, NetworkAddressRules.WhyRefused(IPAddress.Parse(address)));

    [Fact]
    public async Task The_secret_is_shown_once_kept_encrypted_and_rotation_replaces_it()
    {
        await using var bed = await WebhookTestBed.CreateAsync();
        var issued = await bed.AddEndpointAsync("https://hooks.example.test/a");
        Assert.StartsWith(WebhookSecrets.SecretPrefix, issued.Secret);
        Assert.DoesNotContain(issued.Secret, issued.ToString());

        var rotated = await bed.Endpoints.RotateSecretAsync(bed.Owner, issued.EndpointId);
        Assert.NotEqual(issued.Secret, rotated.Secret);
        Assert.NotEqual(issued.SecretId, rotated.SecretId);
        var details = await bed.Endpoints.GetAsync(bed.Owner, issued.EndpointId);
        Assert.Equal(rotated.SecretId, details.SecretId);

        await using (var db = bed.Database.CreateContext())
        {
            var stored = await db.WebhookEndpoints.SingleAsync();
            Assert.Equal(rotated.Secret, bed.Secrets.Unprotect(stored.ProtectedSecret));
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        var content = Encoding.ASCII.GetString(Directory.GetFiles(bed.Database.Folder).SelectMany(File.ReadAllBytes).ToArray());
        Assert.DoesNotContain(issued.Secret, content);
        Assert.DoesNotContain(rotated.Secret, content);
        Assert.DoesNotContain(issued.VerificationSecret!, content);
    }

    [Fact]
    public async Task Secrets_follow_the_specification_and_a_verification_secret_is_typed_or_generated_by_those_who_may_change()
    {
        await using var bed = await WebhookTestBed.CreateAsync();
        var issued = await bed.AddEndpointAsync("https://hooks.example.test/a");
        Assert.Matches("^whsec_[A-Za-z0-9+/]{43}=$", issued.Secret);
        Assert.Equal(WebhookSecrets.SigningKeyBytes, WebhookSecrets.SigningKey(issued.Secret).Length);
        Assert.Matches("^[A-Za-z0-9]{32}$", issued.VerificationSecret);

        var typed = await bed.Endpoints.SetVerificationSecretAsync(bed.Owner, issued.EndpointId, "yoursecret");
        Assert.Equal("yoursecret", typed);
        var generated = await bed.Endpoints.SetVerificationSecretAsync(bed.Owner, issued.EndpointId, null);
        Assert.NotEqual(issued.VerificationSecret, generated);
        await using (var db = bed.Database.CreateContext())
            Assert.Equal(generated, bed.Secrets.UnprotectVerification((await db.WebhookEndpoints.SingleAsync()).ProtectedVerificationSecret!));

        var refused = await Assert.ThrowsAsync<ValidationException>(() => bed.Endpoints.SetVerificationSecretAsync(bed.Owner, issued.EndpointId, "short"));
        Assert.Contains("8 to 200", refused.Message);
        await Assert.ThrowsAsync<ValidationException>(() => bed.Endpoints.SetVerificationSecretAsync(bed.Owner, issued.EndpointId, " padded secret "));
        await Assert.ThrowsAsync<AccessDeniedException>(() => bed.Endpoints.SetVerificationSecretAsync(bed.Support, issued.EndpointId, "yoursecret"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => bed.Endpoints.SetVerificationSecretAsync(bed.OtherOwner, issued.EndpointId, "yoursecret"));

        var entries = (await bed.Audit.SearchAsync(bed.Owner, new AuditLog.Filter())).Entries;
        Assert.Equal(2, entries.Count(e => e.Action == AuditActions.WebhookVerificationSecretSet));
        Assert.All(entries, e => Assert.DoesNotContain("yoursecret", e.Changes));
        Assert.All(entries, e => Assert.DoesNotContain(generated, e.Changes));
    }

    [Fact]
    public async Task Endpoint_changes_are_audited_and_never_carry_the_secret()
    {
        await using var bed = await WebhookTestBed.CreateAsync();
        var issued = await bed.AddEndpointAsync("https://hooks.example.test/a", WebhookEvents.KeyRotated);
        await bed.Endpoints.UpdateAsync(bed.Owner, issued.EndpointId, new WebhookEndpointService.Form
        {
            Url = "https://hooks.example.test/b",
            Description = "CRM",
            Events = [WebhookEvents.KeyRotated, WebhookEvents.ChatEnded],
        });
        await bed.Endpoints.RotateSecretAsync(bed.Owner, issued.EndpointId);
        await bed.Endpoints.DisableAsync(bed.Owner, issued.EndpointId);

        var entries = (await bed.Audit.SearchAsync(bed.Owner, new AuditLog.Filter())).Entries;
        Assert.Equal(
            [AuditActions.WebhookEndpointDisabled, AuditActions.WebhookSecretRotated, AuditActions.WebhookEndpointUpdated, AuditActions.WebhookEndpointCreated],
            entries.Select(e => e.Action));
        Assert.Contains("URL: https://hooks.example.test/a → https://hooks.example.test/b", entries[2].Changes);
        Assert.Contains("Events: key_rotated → chat_ended, key_rotated", entries[2].Changes);
        Assert.All(entries, e => Assert.DoesNotContain(issued.Secret, e.Changes));
        Assert.All(entries, e => Assert.Equal("192.0.2.10", e.ClientIp));
        Assert.False((await bed.Endpoints.GetAsync(bed.Owner, issued.EndpointId)).IsEnabled);
        await Assert.ThrowsAsync<ValidationException>(() => bed.Endpoints.SendTestAsync(bed.Owner, issued.EndpointId));
    }

    [Fact]
    public async Task An_endpoint_needs_at_least_one_event()
    {
        await using var bed = await WebhookTestBed.CreateAsync();
        var error = await Assert.ThrowsAsync<ValidationException>(() =>
            bed.Endpoints.CreateAsync(bed.Owner, new WebhookEndpointService.Form { Url = "https://hooks.example.test/a" }));
        Assert.Equal("Choose at least one event.", error.Message);
    }

    [Fact]
    public async Task Owners_never_see_other_accounts_endpoints_or_deliveries_and_support_only_reads()
    {
        await using var bed = await WebhookTestBed.CreateAsync();
        var issued = await bed.AddEndpointAsync("https://hooks.example.test/a");
        var deliveryId = await bed.Endpoints.SendTestAsync(bed.Owner, issued.EndpointId);
        var id = issued.EndpointId;

        await Assert.ThrowsAsync<AccessDeniedException>(() => bed.Endpoints.GetAsync(bed.OtherOwner, id));
        await Assert.ThrowsAsync<AccessDeniedException>(() => bed.Endpoints.UpdateAsync(bed.OtherOwner, id, new() { Url = "https://x.example.test", Events = ["chat_ended"] }));
        await Assert.ThrowsAsync<AccessDeniedException>(() => bed.Endpoints.RotateSecretAsync(bed.OtherOwner, id));
        await Assert.ThrowsAsync<AccessDeniedException>(() => bed.Endpoints.SendTestAsync(bed.OtherOwner, id));
        await Assert.ThrowsAsync<AccessDeniedException>(() => bed.Log.GetAsync(bed.OtherOwner, deliveryId));
        await Assert.ThrowsAsync<AccessDeniedException>(() => bed.Log.ResendAsync(bed.OtherOwner, deliveryId));
        await Assert.ThrowsAsync<AccessDeniedException>(() => bed.Log.SuccessRatesAsync(bed.OtherOwner, id));
        Assert.Empty(await bed.Endpoints.ListAsync(bed.OtherOwner));
        Assert.Equal(0, (await bed.Log.SearchAsync(bed.OtherOwner, new())).Total);

        Assert.False((await bed.Endpoints.GetAsync(bed.Support, id)).CanChange);
        Assert.False((await bed.Log.GetAsync(bed.Support, deliveryId)).CanResend);
        Assert.Equal(1, (await bed.Log.SearchAsync(bed.Support, new())).Total);
        await Assert.ThrowsAsync<AccessDeniedException>(() => bed.Endpoints.DisableAsync(bed.Support, id));
        await Assert.ThrowsAsync<AccessDeniedException>(() => bed.Log.ResendAsync(bed.Support, deliveryId));
        await Assert.ThrowsAsync<AccessDeniedException>(() => bed.Endpoints.CreateAsync(bed.Support, new() { Url = "https://x.example.test", Events = ["chat_ended"], AccountId = bed.AcmeId }));

        Assert.True((await bed.Endpoints.GetAsync(bed.Admin, id)).CanChange);
        await bed.Log.ResendAsync(bed.Admin, deliveryId);
    }

    [Fact]
    public async Task Domain_changes_raise_events_for_subscribed_enabled_endpoints_of_the_same_account_only()
    {
        await using var bed = await WebhookTestBed.CreateAsync();
        var rotations = await bed.AddEndpointAsync("https://hooks.example.test/rotations", WebhookEvents.KeyRotated);
        var everything = await bed.AddEndpointAsync("https://hooks.example.test/all", [.. WebhookEvents.Subscribable]);
        var disabled = await bed.AddEndpointAsync("https://hooks.example.test/off", [.. WebhookEvents.Subscribable]);
        await bed.Endpoints.DisableAsync(bed.Owner, disabled.EndpointId);
        await bed.Endpoints.CreateAsync(bed.OtherOwner, new() { Url = "https://hooks.example.test/other", Events = [.. WebhookEvents.Subscribable] });

        var created = await bed.CreateApplicationAsync();
        var id = created.Application.Id;
        await bed.Keys.RotateAsync(bed.Owner, id, RotationGrace.Immediately);
        await bed.Keys.RevokeAsync(bed.Owner, id, (await bed.Keys.ListAsync(bed.Owner, id)).First(p => p.IsLive).Id);
        await bed.Applications.UpdateAsync(bed.Owner, id, new() { Name = "Storefront", IsOnline = false });
        await bed.Applications.UpdateAsync(bed.Owner, id, new() { Name = "Storefront", IsOnline = true }); // going online raises nothing
        // A refused change raises nothing either: the event is saved with the change or not at all.
        await Assert.ThrowsAsync<AccessDeniedException>(() => bed.Keys.RotateAsync(bed.OtherOwner, id, RotationGrace.Immediately));

        await bed.NewDispatcher().FanOutAsync();
        var rows = (await bed.Log.SearchAsync(bed.Admin, new())).Rows;
        Assert.Equal([WebhookEvents.KeyRotated], rows.Where(r => r.EndpointId == rotations.EndpointId).Select(r => r.EventName));
        Assert.Equal(
            [WebhookEvents.ApplicationOffline, WebhookEvents.KeyRevoked, WebhookEvents.KeyRotated],
            rows.Where(r => r.EndpointId == everything.EndpointId).Select(r => r.EventName).Order());
        Assert.Equal(4, rows.Count);
        Assert.All(rows, r => Assert.Equal(WebhookDeliveryStatus.Pending, r.Status));

        var filtered = await bed.Log.SearchAsync(bed.Owner, new(EndpointId: everything.EndpointId, EventName: WebhookEvents.KeyRevoked, Take: 1));
        Assert.Equal(1, filtered.Total);
        var offline = await bed.Log.GetAsync(bed.Owner, rows.Single(r => r.EventName == WebhookEvents.ApplicationOffline).Id);
        Assert.Contains("\"application_name\":\"Storefront\"", offline.DataJson);
    }

    [Fact]
    public async Task Quota_code_can_raise_its_events_through_the_outbox()
    {
        await using var bed = await WebhookTestBed.CreateAsync();
        var endpoint = await bed.AddEndpointAsync("https://hooks.example.test/q", WebhookEvents.QuotaThresholdReached, WebhookEvents.QuotaExceeded);
        var created = await bed.CreateApplicationAsync();
        await using (var db = bed.Database.CreateContext())
        {
            WebhookOutbox.Enqueue(db, bed.AcmeId, created.Application.Id, WebhookEvents.QuotaThresholdReached, new { PercentUsed = 80 }, DateTime.UtcNow);
            Assert.Throws<ArgumentException>(() => WebhookOutbox.Enqueue(db, bed.AcmeId, null, "no_such_event", new { }, DateTime.UtcNow));
            await db.SaveChangesAsync();
        }
        await bed.NewDispatcher().FanOutAsync();
        var row = Assert.Single((await bed.Log.SearchAsync(bed.Owner, new())).Rows);
        Assert.Equal(endpoint.EndpointId, row.EndpointId);
        Assert.Equal("{\"percent_used\":80}", (await bed.Log.GetAsync(bed.Owner, row.Id)).DataJson);
    }

    [Fact]
    public async Task The_platform_posts_chat_events_with_an_applications_keys()
    {
        await using var bed = await WebhookTestBed.CreateAsync();
        await bed.AddEndpointAsync("https://hooks.example.test/chats", WebhookEvents.ChatEnded);
        var created = await bed.CreateApplicationAsync();
        var keys = created.Keys;
        Stream Body(string json) => new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));

        var accepted = await bed.Intake.AcceptAsync(WebhookTestBed.Call(keys.ApplicationKey, keys.ConsumerKey), Body("""{"event_name":"chat_ended","data":{"chat_id":"c-1"}}"""), null);
        Assert.Equal(202, accepted.HttpStatus);
        Assert.NotNull(accepted.EventId);

        var badName = await bed.Intake.AcceptAsync(WebhookTestBed.Call(keys.ApplicationKey, keys.ConsumerKey), Body("""{"event_name":"chat_started","data":{}}"""), null);
        Assert.Equal(400, badName.HttpStatus);
        Assert.Equal(117, badName.Error!.Error);
        Assert.Equal("DATA NOT VALID", badName.Error.Description);
        Assert.Contains("chat_ended, offline_message", badName.Error.ExtraInfo);
        Assert.Equal(400, (await bed.Intake.AcceptAsync(WebhookTestBed.Call(keys.ApplicationKey, keys.ConsumerKey), Body("""{"event_name":"offline_message"}"""), null)).HttpStatus);

        Assert.Equal(201, (await bed.Intake.AcceptAsync(WebhookTestBed.Call(null, keys.ConsumerKey), Body("{}"), null)).Error!.Error);
        Assert.Equal(202, (await bed.Intake.AcceptAsync(WebhookTestBed.Call(keys.ApplicationKey, ""), Body("{}"), null)).Error!.Error);
        Assert.Equal(204, (await bed.Intake.AcceptAsync(WebhookTestBed.Call(keys.ApplicationKey, ApiKey.New()), Body("{}"), null)).Error!.Error);
        await bed.Applications.UpdateAsync(bed.Owner, created.Application.Id, new() { Name = "Storefront", IsOnline = false });
        Assert.Equal(110, (await bed.Intake.AcceptAsync(WebhookTestBed.Call(keys.ApplicationKey, keys.ConsumerKey), Body("""{"event_name":"chat_ended","data":{"chat_id":"c-1"}}"""), null)).Error!.Error);

        await bed.NewDispatcher().FanOutAsync();
        var row = Assert.Single((await bed.Log.SearchAsync(bed.Owner, new(EventName: WebhookEvents.ChatEnded))).Rows);
        var details = await bed.Log.GetAsync(bed.Owner, row.Id);
        Assert.Equal(accepted.EventId, details.EventId);
        Assert.Equal("{\"chat_id\":\"c-1\"}", details.DataJson);
    }
}
