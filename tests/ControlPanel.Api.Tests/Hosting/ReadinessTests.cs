using System.Net;
using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Data;
using ControlPanel.Web.Background;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Api.Tests.Hosting;

/// <summary>An instance is live at once and ready only when its in-memory state is loaded; calls meanwhile wait for it.</summary>
public sealed class ReadinessTests : IAsyncLifetime
{
    private readonly ControlPanelFactory factory = new();

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task While_the_directory_loads_live_answers_ready_refuses_and_a_check_waits_for_the_load()
    {
        var load = new HeldLoad();
        await using var held = factory.WithWebHostBuilder(web => web.ConfigureTestServices(services => services.AddSingleton<IChangeSubscriber>(load)));
        var client = held.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        var application = await held.Services.CreateApplicationAsync(ControlPanelFactory.Admin, ApplicationEnvironment.Live);
        await load.Started.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        var notReady = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Equal("loading", await notReady.Content.ReadAsStringAsync());
        var check = client.SendAsync(ApiRequests.Check(application));
        await Task.Delay(200);
        Assert.False(check.IsCompleted); // held until the directory is loaded, not refused from an empty one

        load.Release();
        Assert.Equal(HttpStatusCode.OK, (await check.WaitAsync(TimeSpan.FromSeconds(60))).StatusCode);
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.True(held.Services.GetRequiredService<StateLoader>().IsLoaded);
    }

    /// <summary>A directory that takes as long as the test wants to load.</summary>
    private sealed class HeldLoad : IChangeSubscriber
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Started => _started.Task;
        public ChangeTopic Topic => ChangeTopic.Directory;
        public void Release() => _release.TrySetResult();

        public Task ApplyChangeAsync(Guid? subjectId, CancellationToken cancellationToken)
        {
            _started.TrySetResult();
            return _release.Task.WaitAsync(cancellationToken);
        }
    }
}
