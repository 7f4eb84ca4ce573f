using System.Net;

namespace ControlPanel.Api.Tests.Usage;

public sealed class UsageApiTests : IAsyncLifetime
{
    private readonly ControlPanelFactory factory = new();

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Theory]
    [InlineData("/api/v1/usage")]
    [InlineData("/api/v1/usage/history.csv")]
    [InlineData("/api/v1/usage/resources.csv")]
    public async Task Usage_answers_401_to_callers_who_are_not_signed_in(string address)
    {
        var response = await factory.CreateClient().GetAsync(address);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(226, (await response.ReadErrorAsync()).Error);
    }
}
