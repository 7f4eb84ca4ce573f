using AngleSharp.Dom;
using ControlPanel.Domain.Accounts;
using ControlPanel.Domain.Applications;

namespace ControlPanel.Components.Tests.Applications;

/// <summary>What the Applications area's tests share: making applications through the domain and working the page's tabs.</summary>
public abstract class ApplicationTest : ComponentTest
{
    protected Task<ApplicationService.Created> NewApplicationAsync(Viewer owner, string name, ApplicationEnvironment environment = ApplicationEnvironment.Development) =>
        UseAsync<ApplicationService, ApplicationService.Created>(applications =>
            applications.CreateAsync(owner, new ApplicationService.Form { Name = name, Environment = environment }));

    /// <summary>Opens the MudSelect whose input carries <paramref name="testId"/> and picks the choice reading <paramref name="choice"/>.</summary>
    protected async Task ChooseAsync(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> host, string testId, string choice)
    {
        await host.Find($"[data-testid={testId}]").Closest(".mud-input-control")!.MouseDownAsync(new());
        var item = Popovers.WaitForElements(".mud-list-item").FirstOrDefault(i => i.TextContent.Trim() == choice)
            ?? throw new InvalidOperationException($"No choice {choice}: {Popovers.Markup}");
        await item.ClickAsync(new());
    }

    /// <summary>Clicks the tab header named <paramref name="name"/>.</summary>
    protected static async Task OpenTabAsync<T>(IRenderedComponent<T> page, string name) where T : Microsoft.AspNetCore.Components.IComponent
    {
        var tab = page.WaitForElements("[role=tab]").SingleOrDefault(t => t.TextContent.Trim() == name)
            ?? throw new InvalidOperationException($"No tab named {name}: {string.Join(", ", page.FindAll("[role=tab]").Select(t => t.TextContent.Trim()))}");
        await tab.ClickAsync(new());
    }

    protected static IReadOnlyList<string> TabNames<T>(IRenderedComponent<T> page) where T : Microsoft.AspNetCore.Components.IComponent =>
        page.FindAll("[role=tab]").Select(t => t.TextContent.Trim()).ToList();

    /// <summary>The input a MudBlazor field renders under the element carrying <paramref name="testId"/> (or that element itself).</summary>
    protected static IElement Input(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> host, string testId) =>
        InputIn(host.Find($"[data-testid={testId}]"));

    protected static IElement InputIn(IElement element) =>
        element.LocalName is "input" or "textarea" ? element : element.QuerySelector("input, textarea") ?? throw new InvalidOperationException($"No input in {element.OuterHtml}");
}
