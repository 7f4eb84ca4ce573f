using ControlPanel.Web.Components.Pages.Webhooks;
using Microsoft.Extensions.Hosting;

namespace ControlPanel.Components.Tests.Webhooks;

/// <summary>In Development the endpoint form says how to let deliveries reach a receiver on the developer's own machine.</summary>
public sealed class LocalReceiverAdviceTests : WebhookTest
{
    protected override string EnvironmentName => Environments.Development;

    [Fact]
    public async Task The_add_dialog_names_both_settings_in_development()
    {
        SignIn(await NewOwnerAsync("Initech"));
        var page = Render<WebhookEndpoints>();
        _ = page.WaitForElement("[data-testid=add-endpoint]").ClickAsync(new());

        var advice = DialogHost.WaitForElement("[data-testid=local-receiver-advice]").TextContent;
        Assert.Contains("Webhooks:AllowHttp and Webhooks:AllowPrivateAddresses", advice);
        Assert.Contains("Webhooks__AllowHttp=true", advice);
        Assert.Contains("Leave them off in production", advice);
    }
}

/// <summary>Once the settings allow local receivers, or outside Development, the advice is not shown.</summary>
public sealed class LocalReceiverAdviceAllowedTests : WebhookTest
{
    protected override string EnvironmentName => Environments.Development;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [new("Webhooks:AllowHttp", "true"), new("Webhooks:AllowPrivateAddresses", "true")];

    [Fact]
    public async Task Nothing_is_said_when_both_are_allowed()
    {
        SignIn(await NewOwnerAsync("Initech"));
        var page = Render<WebhookEndpoints>();
        _ = page.WaitForElement("[data-testid=add-endpoint]").ClickAsync(new());

        DialogHost.WaitForElement("[data-testid=endpoint-url]");
        Assert.Empty(DialogHost.FindAll("[data-testid=local-receiver-advice]"));
    }
}
