// The few things the UI asks of the browser that Blazor and MudBlazor do not.
window.controlPanel = {
    // Remembers light or dark for a year; the server reads it to render the first paint in the chosen mode.
    rememberThemeMode(mode) {
        document.cookie = `cp-theme=${mode}; path=/; max-age=31536000; samesite=lax`;
    }
};
