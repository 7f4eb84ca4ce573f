using ControlPanel.Domain.Applications;
using ControlPanel.Domain.Quotas;
using ControlPanel.Domain.Requests;
using ControlPanel.Domain.Usage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ControlPanel.Web.Usage;

public static class UsageHosting
{
    /// <summary>Usage reports and retention, quota notifications for the UI, and the admin controls.</summary>
    public static void AddControlPanelUsage(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<UsageOptions>().BindConfiguration(UsageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // The request check's host binds and validates these too; binding twice is harmless, and the
        // Try* registrations leave its singletons in charge when both are present.
        builder.Services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton<ApplicationDirectory>();
        builder.Services.TryAddSingleton<QuotaLedger>();
        builder.Services.TryAddScoped<QuotaService>();
        builder.Services.TryAddScoped<AdminControls>();
        builder.Services.AddScoped<UsageReports>();
        // Applied hourly by ExpiredStateSweeper.
        builder.Services.AddSingleton<UsageRetention>();
    }
}
