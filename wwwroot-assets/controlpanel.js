// The few things the UI asks of the browser that Blazor and MudBlazor do not.
window.controlPanel = {
    // Remembers light or dark for a year; the server reads it to render the first paint in the chosen mode.
    rememberThemeMode(mode) {
        document.cookie = `cp-theme=${mode}; path=/; max-age=31536000; samesite=lax`;
    }
};

// A button with data-copy="element id" copies that element's text; it works on statically rendered pages too
// (the account pages), where Blazor's click handlers do not run.
document.addEventListener("click", async event => {
    const button = event.target.closest?.("[data-copy]");
    if (!button) return;
    const source = document.getElementById(button.dataset.copy);
    if (!source) return;
    try {
        await navigator.clipboard.writeText(source.textContent);
        button.dataset.copied = "true";
    } catch {
        // No clipboard (no HTTPS or no permission): the text stays on screen to select by hand.
        button.dataset.copied = "false";
    }
});
