using System.Text;
using ControlPanel.Domain.Keys;
using ControlPanel.Domain.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Domain.Tests.Webhooks;

/// <summary>The platform's event intake stores only what someone will receive, and reads nothing before the keys pass.</summary>
public sealed class PlatformEventIntakeTests
{
    private static MemoryStream Body(string json) => new(Encoding.UTF8.GetBytes(json));

    private static async Task<int> StoredEventsAsync(WebhookTestBed bed)
    {
        await using var db = bed.Database.CreateContext();
        return await db.WebhookEvents.CountAsync(e => e.Name == WebhookEvents.ChatEnded || e.Name == WebhookEvents.OfflineMessage);
    }

    [Fact]
    public async Task An_event_no_enabled_endpoint_subscribes_to_is_answered_but_not_stored()
    {
        await using var bed = await WebhookTestBed.CreateAsync();
        var keys = (await bed.CreateApplicationAsync()).Keys;
        var call = WebhookTestBed.Call(keys.ApplicationKey, keys.ConsumerKey);
        const string chat = """{"event_name":"chat_ended","data":{"chat_id":"c-1"}}""";

        // No endpoint at all.
        var none = await bed.Intake.AcceptAsync(call, Body(chat), null);
        Assert.Equal(202, none.HttpStatus);
        Assert.Null(none.EventId);
        Assert.Equal(PlatformEventIntake.NoSubscriber, none.Info);

        // An endpoint for another event, and a disabled one for this event.
        await bed.AddEndpointAsync("https://hooks.example.test/offline", WebhookEvents.OfflineMessage);
        var disabled = await bed.AddEndpointAsync("https://hooks.example.test/chats", WebhookEvents.ChatEnded);
        await bed.Endpoints.DisableAsync(bed.Owner, disabled.EndpointId);
        Assert.Null((await bed.Intake.AcceptAsync(call, Body(chat), null)).EventId);
        // Another account's endpoint for this event does not count either.
        await bed.Endpoints.CreateAsync(bed.OtherOwner, new WebhookEndpointService.Form { Url = "https://hooks.example.test/other", Events = [WebhookEvents.ChatEnded] });
        Assert.Null((await bed.Intake.AcceptAsync(call, Body(chat), null)).EventId);
        Assert.Equal(0, await StoredEventsAsync(bed));

        await bed.AddEndpointAsync("https://hooks.example.test/chats-2", WebhookEvents.ChatEnded);
        var stored = await bed.Intake.AcceptAsync(call, Body(chat), null);
        Assert.NotNull(stored.EventId);
        Assert.Null(stored.Info);
        Assert.Equal(1, await StoredEventsAsync(bed));
    }

    [Fact]
    public async Task Keys_are_checked_before_a_byte_of_the_body_is_read()
    {
        await using var bed = await WebhookTestBed.CreateAsync();
        await bed.AddEndpointAsync("https://hooks.example.test/chats", WebhookEvents.ChatEnded);
        var keys = (await bed.CreateApplicationAsync()).Keys;
        var body = new UnreadableStream();

        var refused = await bed.Intake.AcceptAsync(WebhookTestBed.Call(keys.ApplicationKey, ApiKey.New()), body, 50_000_000);
        Assert.Equal(204, refused.Error!.Error);
        Assert.False(body.WasRead);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_with_117_and_read_no_further_than_the_limit()
    {
        var options = WebhookTestBed.FastOptions();
        options.MaxEventBodyBytes = 1024;
        await using var bed = await WebhookTestBed.CreateAsync(options);
        await bed.AddEndpointAsync("https://hooks.example.test/chats", WebhookEvents.ChatEnded);
        var keys = (await bed.CreateApplicationAsync()).Keys;
        var call = WebhookTestBed.Call(keys.ApplicationKey, keys.ConsumerKey);
        var large = """{"event_name":"chat_ended","data":{"text":"__"}}""".Replace("__", new string('a', 2000));

        // Declared too large: refused unread.
        var declared = new UnreadableStream();
        var byLength = await bed.Intake.AcceptAsync(call, declared, 2000);
        Assert.Equal((400, 117), (byLength.HttpStatus, byLength.Error!.Error));
        Assert.False(declared.WasRead);

        // Sent without a length (chunked): read one byte past the limit, then refused.
        var chunked = Body(large);
        var byReading = await bed.Intake.AcceptAsync(call, chunked, null);
        Assert.Equal((400, 117), (byReading.HttpStatus, byReading.Error!.Error));
        Assert.Contains("1024 bytes", byReading.Error.ExtraInfo);
        Assert.Equal(1025, chunked.Position);
        Assert.Equal(0, await StoredEventsAsync(bed));

        var fits = await bed.Intake.AcceptAsync(call, Body("""{"event_name":"chat_ended","data":{"chat_id":"c-1"}}"""), null);
        Assert.NotNull(fits.EventId);
    }

    /// <summary>A body that records whether anyone tried to read it.</summary>
    private sealed class UnreadableStream : Stream
    {
        public bool WasRead { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) { WasRead = true; throw new InvalidOperationException("The body was read."); }
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) { WasRead = true; throw new InvalidOperationException("The body was read."); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
