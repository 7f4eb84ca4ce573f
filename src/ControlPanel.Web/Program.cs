using ControlPanel.Web;
using ControlPanel.Web.Api;
using ControlPanel.Web.Components;
using ControlPanel.Web.Components.Account;
using ControlPanel.Web.Gateway;
using ControlPanel.Web.Monitoring;

var builder = WebApplication.CreateBuilder(args);
// Serves static web assets (MudBlazor, the Blazor script, wwwroot-assets/) straight from the build output in every environment.
builder.WebHost.UseStaticWebAssets();

builder.AddControlPanel();

var app = builder.Build();

await app.PrepareDatabaseAsync();

// Gateway:Urls ports answer proxied routes only, past the panel's own middleware (docs/gateways.md, "Gateway mode").
app.UseControlPanelGatewayPorts();
app.UseControlPanelWebSecurity();
// Prometheus text for the addresses Monitoring:ScrapeFrom names (loopback by default); after the forwarded client address is known.
app.UseControlPanelMetricsEndpoint();
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}
// Until the directory is loaded only /health/live and /health/ready answer; other requests wait for it.
app.UseWaitForState();
// The key check is answered here, before routing and the UI's middleware, which it does not use.
app.UseKeyCheck();
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
// Under /api: no HTML status pages, the error body shape instead.
app.UseApiStatusCodes();
// Called here, not left to the host to add in front, so the key check above runs before them.
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();
// Staff without two-factor set it up first (AccountSecurity:RequireTwoFactorForStaff).
app.UseStaffTwoFactorSetUp();
// Sign-in and registration posts per client address (AccountSecurity:SignInPostsPerAddress); after any forwarded-headers step.
app.UseRateLimiter();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.MapIdentityEndpoints();
app.MapPasskeyEndpoints();
app.MapHealthProbes();
app.MapKeyValidationApi();
app.MapWebhookApi();
app.MapUsageApi();
app.MapManagementApi();
// The proxied routes of gateway mode, when the configuration has a ReverseProxy section with a route.
app.MapControlPanelGateway();

app.Run();

/// <summary>The entry point, visible to the HTTP tests' WebApplicationFactory.</summary>
public partial class Program;
