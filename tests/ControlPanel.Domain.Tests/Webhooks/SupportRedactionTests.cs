using ControlPanel.Domain.Audit;
using ControlPanel.Domain.Keys;
using ControlPanel.Domain.Webhooks;

namespace ControlPanel.Domain.Tests.Webhooks;

/// <summary>Support reads every account but holds no keys: the keys' last four characters are hidden from it in audit text and webhook payloads, as on the key list.</summary>
public sealed class SupportRedactionTests
{
    [Fact]
    public async Task Support_sees_no_last_four_in_audit_text_or_key_event_payloads_while_owners_do()
    {
        await using var bed = await WebhookTestBed.CreateAsync();
        await bed.AddEndpointAsync("https://hooks.example.test/keys", WebhookEvents.KeyRotated, WebhookEvents.KeyRevoked);
        var created = await bed.CreateApplicationAsync();
        var rotated = await bed.Keys.RotateAsync(bed.Owner, created.Application.Id, RotationGrace.OneHour);
        await bed.Keys.RevokeAsync(bed.Owner, created.Application.Id, created.Keys.KeyPairId);
        var firstFour = ApiKey.LastFour(created.Keys.ApplicationKey);
        var newFour = ApiKey.LastFour(rotated.ApplicationKey);

        var keyActions = new[] { AuditActions.ApplicationCreated, AuditActions.KeysRotated, AuditActions.KeysRevoked };
        var ownerTexts = (await bed.Audit.SearchAsync(bed.Owner, new AuditLog.Filter())).Entries.Where(e => keyActions.Contains(e.Action)).Select(e => e.Changes).ToList();
        var supportTexts = (await bed.Audit.SearchAsync(bed.Support, new AuditLog.Filter())).Entries.Where(e => keyActions.Contains(e.Action)).Select(e => e.Changes).ToList();
        Assert.Equal(3, supportTexts.Count);
        Assert.Contains(ownerTexts, t => t.Contains($"…{newFour}"));
        Assert.Contains(ownerTexts, t => t.Contains($"Revoked key pair …{firstFour}"));
        Assert.All(supportTexts, t => Assert.Contains("…" + KeyRedaction.Hidden, t));
        Assert.All(supportTexts, t => Assert.DoesNotContain($"…{firstFour}", t));
        Assert.All(supportTexts, t => Assert.DoesNotContain($"…{newFour}", t));
        Assert.Contains(supportTexts, t => t.StartsWith("Revoked key pair …····", StringComparison.Ordinal));

        await bed.NewDispatcher().FanOutAsync();
        var rows = (await bed.Log.SearchAsync(bed.Admin, new WebhookDeliveryLog.Filter())).Rows;
        Assert.Equal(2, rows.Count);
        foreach (var row in rows)
        {
            var asOwner = await bed.Log.GetAsync(bed.Owner, row.Id);
            var asAdmin = await bed.Log.GetAsync(bed.Admin, row.Id);
            var asSupport = await bed.Log.GetAsync(bed.Support, row.Id);
            var four = row.EventName == WebhookEvents.KeyRotated ? newFour : firstFour;
            Assert.Contains($"\"application_key_last4\":\"{four}\"", asOwner.DataJson);
            Assert.Equal(asOwner.DataJson, asAdmin.DataJson);
            Assert.Contains($"\"application_key_last4\":\"{KeyRedaction.Hidden}\"", asSupport.DataJson);
            Assert.DoesNotContain(four, asSupport.DataJson);
            // Only the last four go: the rest of the payload reads the same.
            Assert.Equal(asOwner.DataJson.Replace(four, KeyRedaction.Hidden), asSupport.DataJson);
        }
    }

    [Theory]
    [InlineData("New key pair …1a2B; …ffff expire 2026-12-01", "New key pair …····; …···· expire 2026-12-01")]
    [InlineData("Renamed \"…shop\" to \"Shop\"", "Renamed \"…shop\" to \"Shop\"")]
    [InlineData("key …1a2b3c", "key …1a2b3c")]
    public void Audit_text_loses_only_a_keys_last_four(string text, string expected) => Assert.Equal(expected, KeyRedaction.InText(text));

    [Theory]
    [InlineData("""{"received":{"data":{"application_key_last4": "9f0e","name":"x"}}}""", """{"received":{"data":{"application_key_last4": "····","name":"x"}}}""")]
    [InlineData("ok", "ok")]
    public void A_receivers_answer_echoing_a_payload_loses_the_last_four(string answer, string expected) => Assert.Equal(expected, KeyRedaction.InJson(answer));
}
