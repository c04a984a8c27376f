/**
 * The dashboard's page, style sheet and icon: plain HTML that app.ts fills in, and a small style sheet. Kept
 * as text in a module, so that they ship in dist/ with the rest, with no build step of their own.
 */

export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ImageKit emulator</title>
<link rel="stylesheet" href="/style.css">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<script src="/app.js" defer></script>
</head>
<body>
<header>
<p class="brand">ImageKit emulator</p>
<nav aria-label="Dashboard">
<ul>
<li><a href="#/files">Library</a></li>
<li><a href="#/playground">Playground</a></li>
<li><a href="#/requests">Requests</a></li>
<li><a href="#/jobs">Jobs and purges</a></li>
</ul>
</nav>
<p class="endpoint" id="endpoint"></p>
</header>
<main id="main" tabindex="-1"><p>Loading…</p></main>
<noscript><p>The dashboard needs JavaScript.</p></noscript>
</body>
</html>
`;

/** A picture frame, in the header's colours. */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect x="2" y="4" width="28" height="24" rx="4" fill="#1d2433"/><circle cx="11" cy="12" r="3" fill="#ffd866"/><path d="M5 25l8-9 5 5 4-4 6 8z" fill="#0b5fff"/></svg>
`;

export const STYLE_CSS = `
:root { --ink: #1d2433; --muted: #5a6478; --line: #d9dee8; --paper: #ffffff; --wash: #f4f6fa; --accent: #0b5fff; --warn: #a33a00; --warn-wash: #fff1e8; --ok: #17653a; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink); background: var(--wash); }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, summary:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
header { display: flex; flex-wrap: wrap; align-items: center; gap: 0 24px; padding: 10px 24px; background: var(--ink); color: #fff; }
header .brand { margin: 0; font-weight: 700; }
header nav ul { display: flex; gap: 4px; margin: 0; padding: 0; list-style: none; }
header nav a { display: block; padding: 6px 12px; border-radius: 6px; color: #fff; text-decoration: none; }
header nav a:hover { background: rgba(255, 255, 255, 0.12); }
header nav a[aria-current="page"] { background: #fff; color: var(--ink); }
header .endpoint { margin: 0 0 0 auto; font: 13px ui-monospace, "DejaVu Sans Mono", monospace; color: #c8d0e0; }
main { max-width: 1200px; margin: 0 auto; padding: 8px 24px 40px; }
main:focus { outline: none; }
h1 { font-size: 24px; margin: 16px 0 8px; }
h2 { font-size: 18px; margin: 24px 0 8px; }
.crumbs ol { display: flex; flex-wrap: wrap; gap: 4px; margin: 0; padding: 0; list-style: none; }
.crumbs li + li::before { content: "/"; margin-right: 4px; color: var(--muted); }
.muted { color: var(--muted); }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(176px, 1fr)); gap: 12px; margin: 12px 0; padding: 0; list-style: none; }
.tile a { display: flex; flex-direction: column; height: 100%; padding: 8px; border: 1px solid var(--line); border-radius: 8px; background: var(--paper); color: inherit; text-decoration: none; }
.tile a:hover { border-color: var(--accent); }
.tile .thumb, .tile .placeholder, .tile .folder-icon { width: 160px; height: 160px; align-self: center; border-radius: 4px; }
.tile .thumb { object-fit: cover; background: var(--wash); }
.placeholder { display: flex; align-items: center; justify-content: center; background: var(--wash); color: var(--muted); font-weight: 600; }
.folder-icon { position: relative; background: linear-gradient(#ffd866, #f2b705); clip-path: polygon(0 18%, 38% 18%, 46% 28%, 100% 28%, 100% 88%, 0 88%); }
.tile .name { margin-top: 6px; font-weight: 600; overflow-wrap: anywhere; }
.tile .meta { font-size: 13px; color: var(--muted); }
.badge { display: inline-block; margin-left: 4px; padding: 0 6px; border-radius: 10px; background: var(--wash); border: 1px solid var(--line); font-size: 12px; color: var(--muted); }
.file-layout { display: grid; grid-template-columns: minmax(0, 480px) minmax(0, 1fr); gap: 24px; align-items: start; }
@media (max-width: 800px) { .file-layout { grid-template-columns: 1fr; } }
.preview { max-width: 100%; border-radius: 6px; background: var(--paper); border: 1px solid var(--line); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
table { width: 100%; border-collapse: collapse; background: var(--paper); border: 1px solid var(--line); }
caption { text-align: left; color: var(--muted); padding: 4px 0; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { background: var(--wash); font-weight: 600; }
td.path, td code, .mono { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 13px; overflow-wrap: anywhere; }
tr.fault td { background: var(--warn-wash); }
.fault-label { color: var(--warn); font-weight: 600; }
.status-ok { color: var(--ok); }
.tags { display: flex; flex-wrap: wrap; gap: 6px; margin: 0; padding: 0; list-style: none; }
.tags li { padding: 2px 10px; border-radius: 12px; background: var(--paper); border: 1px solid var(--line); }
form.playground { display: flex; flex-wrap: wrap; align-items: end; gap: 12px; margin: 12px 0; }
form.playground label { display: flex; flex-direction: column; font-weight: 600; gap: 4px; }
form.playground input { width: 320px; max-width: 100%; padding: 6px 8px; font: 14px ui-monospace, "DejaVu Sans Mono", monospace; border: 1px solid var(--muted); border-radius: 6px; }
button { padding: 7px 16px; border: 0; border-radius: 6px; background: var(--accent); color: #fff; font: inherit; font-weight: 600; cursor: pointer; }
.result figure { margin: 0 0 12px; }
.result img { max-width: 100%; border: 1px solid var(--line); background: repeating-conic-gradient(#eef0f4 0 25%, #fff 0 50%) 0 0 / 16px 16px; }
.error { padding: 8px 12px; border-left: 4px solid var(--warn); background: var(--warn-wash); }
pre { margin: 4px 0; padding: 8px; background: var(--wash); border-radius: 4px; overflow: auto; font-size: 12px; }
`;
