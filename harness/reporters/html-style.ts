/** The inline stylesheet of report.html (no fonts or images are fetched). */
export const REPORT_CSS = `
:root { --fg:#1d2330; --muted:#5d6677; --line:#e3e6ec; --bg:#f6f7f9; --card:#fff; --ok:#1e7d45; --bad:#c23434; --warn:#b7791f; --unk:#6b5bd6; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif; color:var(--fg); background:var(--bg); }
main { max-width:1180px; margin:0 auto; padding:0 24px 48px; }
header.verdict { padding:22px 24px; color:#fff; }
header.verdict.pass { background:linear-gradient(90deg,#1e7d45,#2f9e5e); }
header.verdict.fail { background:linear-gradient(90deg,#a82a2a,#cf4a3a); }
header.verdict .inner { max-width:1132px; margin:0 auto; display:flex; gap:18px; align-items:center; flex-wrap:wrap; }
header.verdict .badge { font-size:26px; font-weight:700; letter-spacing:.04em; padding:6px 16px; border:2px solid rgba(255,255,255,.85); border-radius:8px; }
header.verdict h1 { margin:0; font-size:20px; font-weight:600; }
header.verdict .sub { opacity:.9; font-size:13px; }
header.verdict ul { margin:6px 0 0; padding-left:18px; }
section { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:16px 20px; margin-top:18px; }
section h2 { margin:0 0 12px; font-size:16px; }
section h3 { margin:14px 0 6px; font-size:14px; }
.cards { display:grid; grid-template-columns:repeat(auto-fit,minmax(150px,1fr)); gap:12px; margin-top:18px; }
.card { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:12px 14px; }
.card .label { color:var(--muted); font-size:12px; text-transform:uppercase; letter-spacing:.05em; }
.card .value { font-size:22px; font-weight:650; margin-top:2px; }
.card .value.ok { color:var(--ok); } .card .value.bad { color:var(--bad); }
dl.config { display:grid; grid-template-columns:repeat(auto-fit,minmax(210px,1fr)); gap:4px 18px; margin:0; }
dl.config div { display:flex; gap:8px; min-width:0; }
dl.config dt { color:var(--muted); white-space:nowrap; }
dl.config dd { margin:0; overflow-wrap:anywhere; font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; font-size:12.5px; padding-top:1px; }
table { border-collapse:collapse; width:100%; }
th, td { text-align:left; padding:5px 10px; border-bottom:1px solid var(--line); vertical-align:top; }
th { font-size:12px; color:var(--muted); text-transform:uppercase; letter-spacing:.04em; background:#fafbfc; }
td.name code { white-space:nowrap; overflow-wrap:normal; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; }
code { font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; font-size:12.5px; background:#f1f3f6; padding:1px 5px; border-radius:4px; overflow-wrap:anywhere; }
.pill { display:inline-block; font-size:12px; font-weight:600; padding:1px 8px; border-radius:999px; white-space:nowrap; }
.pill.ok { background:#e3f4ea; color:var(--ok); } .pill.bad { background:#fbe5e5; color:var(--bad); }
.pill.warn { background:#fdf1dc; color:var(--warn); } .pill.unk { background:#ece9fb; color:var(--unk); }
tr.bad td { background:#fff7f7; }
.charts { display:grid; grid-template-columns:repeat(auto-fill,minmax(300px,1fr)); gap:14px; }
figure { margin:0; border:1px solid var(--line); border-radius:8px; padding:8px 10px 4px; }
figcaption { font-size:13px; font-weight:600; }
figcaption span { display:block; font-weight:400; color:var(--muted); font-size:12px; }
svg text { font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif; }
svg .grid { stroke:#eceef2; stroke-width:1; }
svg .axis { font-size:10px; fill:var(--muted); }
svg .axis-title { font-size:10px; fill:#8a93a3; }
svg .axis-line { stroke:#b8bfca; }
svg .hist-bar { fill:#3b6fd8; }
svg .bar-value { font-size:10px; fill:var(--fg); }
svg .chart-empty { fill:#fafbfc; stroke:var(--line); stroke-dasharray:4 3; }
svg .chart-note { font-size:12px; fill:var(--muted); }
svg .wf-label { font-size:12px; fill:var(--fg); font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; }
svg .wf-dur { font-size:11px; fill:var(--muted); }
svg .wf-stripe { fill:#f7f8fa; }
.legend { display:flex; flex-wrap:wrap; gap:6px 16px; font-size:12px; color:var(--muted); margin-top:6px; }
.legend .key { display:inline-flex; align-items:center; gap:6px; }
.legend i { display:inline-block; width:12px; height:12px; border-radius:2px; }
.legend i.open { background:repeating-linear-gradient(45deg,#8b93a1 0 3px,#c9ced6 3px 6px); }
details { margin:2px 0; }
summary { cursor:pointer; color:var(--muted); font-size:12.5px; }
ul.evidence { margin:6px 0 4px; padding-left:18px; }
ul.evidence li { margin:3px 0; }
ul.evidence .ctx { color:var(--muted); font-size:12px; display:block; }
.muted { color:var(--muted); }
footer { color:var(--muted); font-size:12px; margin-top:18px; }
`;
