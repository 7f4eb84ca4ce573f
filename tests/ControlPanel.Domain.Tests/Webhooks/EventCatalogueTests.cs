using System.ComponentModel.DataAnnotations;
using System.Text;
using System.Text.Json;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Domain.Tests.Webhooks;

/// <summary>The event catalogue: each type's schema and example, the platform intake's check against it, and types admins add.</summary>
public sealed class EventCatalogueTests
{
    [Fact]
    public async Task Every_subscribable_event_has_a_draft_2020_12_schema_its_example_meets()
    {
        await using var bed = await WebhookTestBed.CreateAsync();
        var catalogue = bed.Services.GetRequiredService<EventCatalogue>();
        var types = await catalogue.ListAsync();
        Assert.Equal([.. WebhookEvents.Subscribable, WebhookEvents.Test], types.Select(t => t.Name));
        foreach (var type in types)
        {
            using var schema = JsonDocument.Parse(type.SchemaJson);
            Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema.RootElement.GetProperty("$schema").GetString());
            using var example = JsonDocument.Parse(type.ExampleJson);
            Assert.Null(catalogue.FirstViolation(type, example.RootElement));
        }
    }

    [Theory]
    [InlineData("""{"chat_id":42}""", "data/chat_id")]
    [InlineData("""{"ended_at":"2026-12-07T14:00:00Z"}""", "chat_id")]
    [InlineData("""{"chat_id":"c-1","duration_seconds":-5}""", "data/duration_seconds")]
    [InlineData("""{"chat_id":"c-1","ended_at":"yesterday"}""", "data/ended_at")]
    public async Task The_intake_refuses_a_chat_ended_that_breaks_its_schema_with_117_and_the_first_violation(string data, string expected)
    {
        await using var bed = await WebhookTestBed.CreateAsync();
        await bed.AddEndpointAsync("https://hooks.example.test/chats", WebhookEvents.ChatEnded);
        var keys = (await bed.CreateApplicationAsync()).Keys;
        var call = WebhookTestBed.Call(keys.ApplicationKey, keys.ConsumerKey);

        var refused = await bed.Intake.AcceptAsync(call, Body($$"""{"event_name":"chat_ended","data":{{data}}}"""), null);
        Assert.Equal((400, 117), (refused.HttpStatus, refused.Error!.Error));
        Assert.Contains(expected, refused.Error.ExtraInfo);

        var accepted = await bed.Intake.AcceptAsync(call, Body("""{"event_name":"chat_ended","data":{"chat_id":"c-1","duration_seconds":5,"ended_at":"2026-12-07T14:00:00Z"}}"""), null);
        Assert.Equal(202, accepted.HttpStatus);
    }

    [Fact]
    public async Task An_admin_adds_a_platform_event_type_that_endpoints_subscribe_to_and_the_intake_checks()
    {
        await using var bed = await WebhookTestBed.CreateAsync();
        var catalogue = bed.Services.GetRequiredService<EventCatalogue>();
        var form = new EventCatalogue.Form
        {
            Name = "chat_rated",
            Description = "A visitor rated a chat.",
            SchemaJson = """{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","required":["rating"],"properties":{"rating":{"type":"integer","minimum":1,"maximum":5}}}""",
            ExampleJson = """{"rating":4}""",
        };
        await Assert.ThrowsAsync<AccessDeniedException>(() => catalogue.SaveAsync(bed.Owner, form));
        await Assert.ThrowsAsync<AccessDeniedException>(() => catalogue.SaveAsync(bed.Support, form));
        var badExample = await Assert.ThrowsAsync<ValidationException>(() => catalogue.SaveAsync(bed.Admin, new EventCatalogue.Form
        {
            Name = form.Name,
            Description = form.Description,
            SchemaJson = form.SchemaJson,
            ExampleJson = """{"rating":9}""",
        }));
        Assert.Contains("does not meet the schema", badExample.Message);
        await Assert.ThrowsAsync<ValidationException>(() => catalogue.SaveAsync(bed.Admin, new EventCatalogue.Form
        {
            Name = WebhookEvents.ChatEnded,
            Description = "x",
            SchemaJson = form.SchemaJson,
            ExampleJson = form.ExampleJson,
        }));

        var saved = await catalogue.SaveAsync(bed.Admin, form);
        Assert.Equal((EventSource.Platform, 1, true), (saved.Source, saved.Version, saved.IsCustom));
        Assert.Contains("chat_rated", await catalogue.FromPlatformAsync());

        await bed.AddEndpointAsync("https://hooks.example.test/ratings", "chat_rated");
        var keys = (await bed.CreateApplicationAsync()).Keys;
        var call = WebhookTestBed.Call(keys.ApplicationKey, keys.ConsumerKey);
        Assert.Equal(202, (await bed.Intake.AcceptAsync(call, Body("""{"event_name":"chat_rated","data":{"rating":5}}"""), null)).HttpStatus);
        var refused = await bed.Intake.AcceptAsync(call, Body("""{"event_name":"chat_rated","data":{"rating":0}}"""), null);
        Assert.Equal(117, refused.Error!.Error);
        Assert.Contains("data/rating", refused.Error.ExtraInfo);

        form.SchemaJson = form.SchemaJson.Replace("\"maximum\":5", "\"maximum\":10");
        Assert.Equal(2, (await catalogue.SaveAsync(bed.Admin, form)).Version);
    }

    private static MemoryStream Body(string json) => new(Encoding.UTF8.GetBytes(json));
}
