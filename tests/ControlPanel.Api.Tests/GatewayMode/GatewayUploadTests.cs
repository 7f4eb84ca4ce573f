using System.Net;
using ControlPanel.Tests;
using static ControlPanel.Api.Tests.ApiRequests;

namespace ControlPanel.Api.Tests.GatewayMode;

/// <summary>Measures the process's allocations, so it runs alone, after the other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GatewayUploadCollection
{
    public const string Name = "gateway upload";
}

[Collection(GatewayUploadCollection.Name)]
public sealed class GatewayUploadTests
{
    private const long UploadBytes = 50L * 1024 * 1024;

    [Fact]
    public async Task A_50_MB_upload_is_streamed_to_the_upstream_not_buffered()
    {
        var app = new GatewayApp();
        await app.InitializeAsync();
        try
        {
            var application = await app.Factory.CreateApplicationAsync();
            var small = await app.Client.SendAsync(Call(application, new ByteArrayContent(new byte[10])));
            Assert.True(small.StatusCode == HttpStatusCode.OK, await small.Content.ReadAsStringAsync());
            var body = new StreamedBody(UploadBytes, app.Upstream.UploadStarted.Task);
            var request = Call(application, body);
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var response = await app.Client.SendAsync(request);
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(UploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), await response.Content.ReadAsStringAsync());
            // The body went through in pooled buffers: the whole process allocated far less than the body.
            Assert.True(allocated < UploadBytes / 4, $"{allocated} bytes allocated for a {UploadBytes}-byte upload");
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    private static HttpRequestMessage Call(ControlPanelFactory.TestApplication application, HttpContent body)
    {
        var request = Check(KeyStyle.Headers, application.ApplicationKey, application.ConsumerKey, "/upload", HttpMethod.Post);
        request.Content = body;
        return request;
    }

    /// <summary>
    /// Sends its bytes from one reused buffer, and after the first 4 MB waits until the upstream has received some: a
    /// gateway that read the whole body before forwarding would never let that happen (the test then times out).
    /// </summary>
    private sealed class StreamedBody(long length, Task upstreamStarted) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var chunk = new byte[64 * 1024];
            long sent = 0;
            while (sent < length)
            {
                if (sent == 4 * 1024 * 1024) await upstreamStarted.WaitAsync(TimeSpan.FromSeconds(60));
                var size = (int)Math.Min(chunk.Length, length - sent);
                await stream.WriteAsync(chunk.AsMemory(0, size));
                sent += size;
            }
        }

        protected override bool TryComputeLength(out long computed)
        {
            computed = length;
            return true;
        }
    }
}
