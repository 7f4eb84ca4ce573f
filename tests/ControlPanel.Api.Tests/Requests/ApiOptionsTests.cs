using Microsoft.Extensions.Options;

namespace ControlPanel.Api.Tests.Requests;

public sealed class ApiOptionsTests
{
    [Theory]
    [InlineData("Api:TrustedProxies:0", "gateway.example.com", "Api:TrustedProxies")]
    [InlineData("Api:TrustedProxies:0", "10.0.0.0/33", "Api:TrustedProxies")]
    [InlineData("Api:QuotaNotificationThresholds:0", "150", "Api:QuotaNotificationThresholds")]
    [InlineData("Api:DefaultMonthlyQuota", "-1", "Api:DefaultMonthlyQuota")]
    [InlineData("Api:GatewaySecret", "too-short-to-be-a-secret", "Api:GatewaySecret")]
    public async Task Invalid_api_options_stop_the_app_at_start_naming_the_option(string key, string value, string named)
    {
        await using var factory = new ControlPanelFactory().With(key, value);
        var error = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());
        Assert.Contains(named, error.Message);
    }
}
