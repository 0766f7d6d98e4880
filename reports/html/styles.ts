/**
 * The report's stylesheet, inlined so report.html is one self-contained file. System font stacks
 * only (no web fonts to fetch); print rules keep tables and charts whole and show collapsed text.
 */
export const STYLES = `
:root { --fg: #1d2330; --muted: #5b6475; --line: #d9dde5; --bg: #fff; --panel: #f6f7f9; --ok: #00734f; --bad: #b3261e; --warn: #8a5300; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 64px; }
h1 { font-size: 28px; margin: 0 0 4px; line-height: 1.2; }
h2 { font-size: 20px; margin: 36px 0 12px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 16px; margin: 20px 0 8px; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 13px; }
pre { background: var(--panel); border: 1px solid var(--line); border-radius: 4px; padding: 10px 12px; white-space: pre-wrap; overflow-wrap: anywhere; margin: 6px 0 12px; }
a { color: #0b57d0; }
.kicker { text-transform: uppercase; letter-spacing: .08em; font-size: 12px; color: var(--muted); margin: 0; }
.lead { font-size: 16px; color: var(--muted); margin: 0 0 12px; }
.verdict { display: inline-block; font-size: 17px; padding: 6px 14px; border-radius: 4px; border: 2px solid; margin: 8px 0 12px; }
.verdict strong { letter-spacing: .06em; margin-right: 6px; }
.verdict-pass { color: var(--ok); background: #e7f5ef; }
.verdict-fail { color: var(--bad); background: #fbeceb; }
.verdict-error { color: var(--warn); background: #fdf3e3; }
.error-text { color: var(--bad); }
.meta { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 6px 20px; margin: 8px 0; }
.meta dt, .facts dt { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: .05em; }
.meta dd, .facts dd { margin: 0; overflow-wrap: anywhere; }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 6px 20px; }
.note, .muted { color: var(--muted); font-size: 13px; }
.ok { color: var(--ok); font-weight: 600; }
.bad { color: var(--bad); font-weight: 600; }
.warn { color: var(--warn); font-weight: 600; }
.table-wrap { overflow-x: auto; margin: 8px 0 12px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
caption { text-align: left; color: var(--muted); font-size: 13px; padding-bottom: 4px; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid var(--line); }
th { background: var(--panel); font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.events td:nth-child(-n+4) { white-space: nowrap; }
table.events td .msg { font-family: ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12.5px; overflow-wrap: anywhere; }
.columns { display: grid; grid-template-columns: 1fr 1fr; gap: 20px; }
figure { margin: 12px 0 24px; }
figcaption { font-weight: 600; margin-bottom: 4px; }
svg.chart { width: 100%; height: auto; display: block; background: #fff; border: 1px solid var(--line); border-radius: 4px; }
svg.chart text { font: 11px system-ui, "DejaVu Sans", sans-serif; fill: var(--fg); }
svg.chart .tick { fill: var(--muted); }
svg.chart .axis { stroke: #8a93a3; }
svg.chart .grid { stroke: #eceef2; }
svg.chart .axis-label { fill: var(--muted); }
svg.chart .bar { fill: #0072b2; }
svg.chart .fault-window { fill: rgba(213, 94, 0, .10); stroke: rgba(213, 94, 0, .55); stroke-dasharray: 4 3; }
svg.chart .fault-label { font-weight: 600; fill: #a04400; }
svg.chart .detect line { stroke: #1d2330; stroke-width: 1.5; stroke-dasharray: 5 3; }
svg.chart .recover line { stroke: #00734f; stroke-width: 2; }
svg.chart .detect text, svg.chart .recover text, svg.chart .pct text { paint-order: stroke; stroke: #fff; stroke-width: 3px; font-weight: 600; }
svg.chart .recover text { fill: #00734f; }
svg.chart .pct line { stroke: #1d2330; stroke-dasharray: 2 2; }
svg.chart .pod-detect { stroke: #1d2330; stroke-width: 2; }
svg.chart .amp { font-size: 14px; font-weight: 600; }
.legend { list-style: none; padding: 0; margin: 6px 0 0; display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 13px; color: var(--muted); }
.swatch { display: inline-block; width: 12px; height: 12px; margin-right: 6px; vertical-align: -1px; border-radius: 2px; }
.swatch-fault { background: rgba(213, 94, 0, .10); border: 1px dashed rgba(213, 94, 0, .8); }
.swatch-detect { border-left: 2px dashed #1d2330; border-radius: 0; width: 8px; }
.swatch-recover { border-left: 2px solid #00734f; border-radius: 0; width: 8px; }
.swatch-tick { border-left: 2px solid #1d2330; border-radius: 0; width: 8px; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.empty { color: var(--muted); font-style: italic; }
article.failure { border: 1px solid var(--line); border-left: 4px solid var(--bad); border-radius: 4px; padding: 4px 16px 8px; margin: 12px 0; }
article.failure h3 .count { font-weight: 400; color: var(--muted); font-size: 14px; }
.remediation { background: #f3f7fd; border-radius: 4px; padding: 8px 12px; }
.evidence { margin: 4px 0 8px; }
details { border: 1px solid var(--line); border-radius: 4px; margin: 6px 0; padding: 0 12px; }
details > summary { cursor: pointer; padding: 6px 0; }
details[open] > summary { border-bottom: 1px solid var(--line); margin-bottom: 8px; }
.evidence-body { padding-bottom: 8px; }
footer { margin-top: 48px; color: var(--muted); font-size: 13px; }
@media (max-width: 760px) { main { padding: 16px; } .columns { grid-template-columns: 1fr; } }
@media print {
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  details { border: none; padding: 0; }
  details > summary { list-style: none; font-weight: 600; }
  figure, table, article.failure, details { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  .table-wrap { overflow: visible; }
}
`;
