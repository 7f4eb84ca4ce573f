// Our one bridge to ApexCharts (apexcharts 4.7.0 from npm, restored by the build into lib/apexcharts/).
// The Razor component ApexChart sends options and series as JSON; this module creates the chart once, updates it in
// place, and destroys it when the component goes. Functions cannot cross from .NET, so options name them
// ("formatter": "compact") and this module supplies them.

let library;

// The library is large and only chart pages need it: load it once, on the first chart.
function loadLibrary() {
    library ??= new Promise((resolve, reject) => {
        if (window.ApexCharts) return resolve(window.ApexCharts);
        const script = document.createElement("script");
        script.src = new URL("lib/apexcharts/apexcharts.min.js", document.baseURI).href;
        script.onload = () => resolve(window.ApexCharts);
        script.onerror = () => { library = undefined; reject(new Error("The chart library did not load.")); };
        document.head.appendChild(script);
    });
    return library;
}

const pad = n => String(n).padStart(2, "0");
// One date format everywhere: ISO dates, 24-hour UTC times.
function utcDate(ms) {
    const d = new Date(ms);
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}
function utcMinute(ms) {
    const d = new Date(ms);
    return `${utcDate(ms)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}
const numbers = new Intl.NumberFormat("en-US");
function compact(value) {
    if (value === null || value === undefined || Number.isNaN(value)) return "";
    const abs = Math.abs(value);
    if (abs >= 1_000_000) return `${+(value / 1_000_000).toFixed(2)}M`;
    if (abs >= 1_000) return `${+(value / 1_000).toFixed(1)}k`;
    return `${Math.round(value)}`;
}
const escape = text => String(text).replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

const formatters = {
    compact,
    number: v => (v === null || v === undefined ? "–" : numbers.format(v)),
    percentAxis: v => `${Math.round(v)} %`,
    percent: v => (v === null || v === undefined ? "no attempts" : `${Math.round(v * 10) / 10} %`),
    date: utcDate,
    minute: v => `${utcMinute(v)} UTC`,
    hour: v => `${utcMinute(v)} UTC`,
    day: v => `${utcDate(v)} (UTC)`,
};

// A shared tooltip: the time, each series' value, and (for stacked counts) their total.
function tooltip(kind) {
    return ({ dataPointIndex, w }) => {
        const x = w.globals.seriesX[0]?.[dataPointIndex] ?? w.globals.labels[dataPointIndex];
        const when = (formatters[kind.time] ?? formatters.day)(x);
        const value = formatters[kind.value] ?? formatters.number;
        let total = 0;
        const rows = w.globals.seriesNames.map((name, i) => {
            const v = w.globals.series[i][dataPointIndex];
            total += v ?? 0;
            return `<div class="cp-tip-row"><span class="cp-tip-swatch" style="background:${escape(w.globals.colors[i])}"></span>` +
                `<span class="cp-tip-name">${escape(name)}</span><span class="cp-tip-value">${escape(value(v))}</span></div>`;
        });
        const footer = kind.total ? `<div class="cp-tip-row cp-tip-total"><span class="cp-tip-name">Total</span><span class="cp-tip-value">${escape(value(total))}</span></div>` : "";
        const extra = kind.extra?.[dataPointIndex] ? `<div class="cp-tip-row">${escape(kind.extra[dataPointIndex])}</div>` : "";
        return `<div class="cp-tip" data-testid="chart-tooltip"><div class="cp-tip-time">${escape(when)}</div>${rows.join("")}${footer}${extra}</div>`;
    };
}

// Replaces the names of functions in the options with the functions.
function resolve(options) {
    const visit = node => {
        if (Array.isArray(node)) return node.forEach(visit);
        if (!node || typeof node !== "object") return;
        for (const [key, value] of Object.entries(node)) {
            if ((key === "formatter") && typeof value === "string" && formatters[value]) node[key] = formatters[value];
            else if (key === "custom" && value && typeof value === "object" && value.tooltip) node[key] = tooltip(value);
            else visit(value);
        }
    };
    visit(options);
    return options;
}

// The chart follows the page's theme: MudBlazor's palette variables decide text and grid colours.
function themed(options, dark) {
    const css = getComputedStyle(document.body);
    const variable = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
    options.theme = { mode: dark ? "dark" : "light" };
    options.chart = { ...options.chart, foreColor: variable("--mud-palette-text-secondary", dark ? "#a6abbd" : "#5f6776"), background: "transparent" };
    options.grid = { ...options.grid, borderColor: variable("--mud-palette-lines-default", dark ? "#2e3344" : "#e0e3eb") };
    // A reader who asked their system for less motion gets the chart drawn at once.
    if (window.matchMedia("(prefers-reduced-motion: reduce)").matches) options.chart.animations = { enabled: false };
    return options;
}

function build(json, dark) {
    const { options, series } = JSON.parse(json);
    // Colours come in a light and a dark shade; the theme picks one.
    const pick = c => (c && typeof c === "object" ? (dark ? c.dark : c.light) : c);
    if (Array.isArray(series)) series.forEach(s => { if (s && typeof s === "object") s.color = pick(s.color); });
    if (Array.isArray(options.colors)) options.colors = options.colors.map(pick);
    for (const line of options.annotations?.yaxis ?? []) {
        line.borderColor = pick(line.borderColor);
        if (line.label) line.label.style = { ...line.label.style, background: pick(line.label.style?.background) };
    }
    return themed(resolve({ ...options, series }), dark);
}

const charts = new WeakMap();

// Marks the width the chart was last drawn at: ApexCharts redraws on its own after a resize, and whoever waits for the
// redrawn chart (a test hovering a bar) can tell it is there when this matches the element's width.
function drawnIn(element, options) {
    const mark = () => { element.dataset.drawnWidth = Math.round(element.getBoundingClientRect().width); };
    options.chart.events = { ...options.chart.events, mounted: mark, updated: mark };
    return options;
}

export async function create(element, json, dark) {
    const ApexCharts = await loadLibrary();
    if (!element.isConnected) return;
    charts.get(element)?.destroy();
    const chart = new ApexCharts(element, drawnIn(element, build(json, dark)));
    charts.set(element, chart);
    await chart.render();
}

// New numbers or options on the chart that is there: no flash, no new SVG, zoom kept where the axis allows.
export async function update(element, json, dark) {
    const chart = charts.get(element);
    if (!chart) return create(element, json, dark);
    const { series, ...options } = drawnIn(element, build(json, dark));
    await chart.updateOptions({ ...options, series }, false, true, false);
}

export function dispose(element) {
    charts.get(element)?.destroy();
    charts.delete(element);
}
