"""The app's stylesheet: WCAG AA colours in light and dark mode, visible keyboard focus."""

APP_CSS = """
:root { --pk-ink:#0f172a; --pk-muted:#475569; --pk-line:#cbd5e1; --pk-soft:#f1f5f9;
  --pk-accent:#1d4ed8; --pk-accent-soft:#dbeafe; --pk-ok-bg:#ecfdf5; --pk-ok:#065f46;
  --pk-warn-bg:#fffbeb; --pk-warn:#92400e; --pk-err-bg:#fef2f2; --pk-err:#991b1b; --pk-focus:#c2410c; }
.dark { --pk-ink:#f1f5f9; --pk-muted:#cbd5e1; --pk-line:#475569; --pk-soft:#1e293b;
  --pk-accent:#93c5fd; --pk-accent-soft:#1e3a8a; --pk-ok-bg:#064e3b; --pk-ok:#d1fae5;
  --pk-warn-bg:#451a03; --pk-warn:#fde68a; --pk-err-bg:#450a0a; --pk-err:#fecaca; --pk-focus:#fb923c; }
.gradio-container { max-width: 1600px !important; margin: 0 auto !important; }
.pk-header { display:flex; flex-wrap:wrap; align-items:center; justify-content:space-between; gap:6px 24px;
  padding: 6px 16px; border-radius: 14px; background: linear-gradient(135deg,#1e3a8a,#1d4ed8);
  color:#fff; }
.pk-brand { display:flex; align-items:center; gap:14px; }
.pk-logo { display:inline-flex; align-items:center; justify-content:center; width:34px; height:34px;
  border-radius:12px; background:#fff; color:#1e3a8a; font-size:22px; font-weight:700; }
.pk-header h1 { margin:0; font-size:1.3rem; line-height:1.2; color:#fff; font-weight:700; }
.pk-header .pk-tagline { margin:2px 0 0; color:#e0e7ff; font-size:1rem; }
.pk-header .pk-disclaimer { flex:1 1 380px; max-width:720px; margin:0; font-size:.8rem; line-height:1.35;
  color:#f8fafc; background:rgba(255,255,255,.12); border-radius:10px; padding:4px 10px; }
.pk-status { border-radius:10px; padding:4px 12px; font-size:.9rem; border:1px solid var(--pk-line); }
.pk-status code, .pk-footer code { font-size:.9em; padding:1px 5px; border-radius:5px; background:var(--pk-soft); }
.pk-status-ok { background:var(--pk-ok-bg); color:var(--pk-ok); border-color:transparent; }
.pk-status-info { background:var(--pk-accent-soft); color:var(--pk-ink); border-color:transparent; }
.pk-status-warn { background:var(--pk-warn-bg); color:var(--pk-warn); border-color:#f59e0b; }
.pk-status-error { background:var(--pk-err-bg); color:var(--pk-err); border-color:#ef4444; }
#pk-sources .wrap { display:flex; flex-direction:column; gap:4px; max-height:168px; overflow-y:auto; flex-wrap:nowrap; }
#pk-sources label { width:100%; justify-content:flex-start; text-align:left; line-height:1.35;
  border:1px solid var(--pk-line); border-radius:10px; padding:8px 10px; }
#pk-sources label.selected { border-color:var(--pk-accent); box-shadow:0 0 0 1px var(--pk-accent); }
#pk-sources label span { min-width:0; overflow-wrap:anywhere; }
#pk-sources label { padding:4px 8px !important; font-size:.88rem; max-width:100%; min-width:0; }
#pk-sources, #pk-sources .wrap, #pk-side, #pk-chat-col { min-width:0 !important; max-width:100%; }
.pk-item { overflow-wrap:anywhere; }
.pk-table, .pk-table * { overflow-wrap:normal; word-break:normal; }
.pk-table td:nth-child(2), .pk-table td:nth-child(3), .pk-table .pk-badge { white-space:nowrap; }
.pk-table button.pk-link { padding:1px 6px; }
#pk-side { align-self:flex-start; }
#pk-panel { max-height: 78vh; overflow-y:auto !important; }

.pk-placeholder { border:2px dashed var(--pk-line); border-radius:12px; padding:22px; color:var(--pk-muted);
  text-align:center; font-size:.95rem; }
.pk-item { color:var(--pk-ink); border:1px solid var(--pk-line); border-radius:12px; padding:18px 20px;
  background:var(--background-fill-primary); }
.pk-item h2 { margin:2px 0 8px; font-size:1.25rem; line-height:1.3; color:var(--pk-ink); }
.pk-item h3 { margin:0 0 6px; font-size:.82rem; text-transform:uppercase; letter-spacing:.06em; color:var(--pk-muted); }
.pk-item p { margin:0 0 8px; line-height:1.55; }
.pk-kicker { margin:0 !important; font-size:.85rem; font-weight:600; color:var(--pk-accent); }
.pk-badges { display:flex; flex-wrap:wrap; gap:6px; margin:4px 0 10px; }
.pk-badge { font-size:.75rem; font-weight:600; border-radius:999px; padding:2px 10px;
  background:var(--pk-accent-soft); color:var(--pk-ink); }
.pk-badge-warn { background:var(--pk-warn-bg); color:var(--pk-warn); border:1px solid #f59e0b; }
.pk-badge-extra { background:var(--pk-soft); border:1px solid var(--pk-line); }
.pk-meta { display:grid; grid-template-columns:max-content 1fr; gap:3px 14px; margin:0 0 12px; font-size:.9rem; }
.pk-meta dt { color:var(--pk-muted); font-weight:600; }
.pk-meta dd { margin:0; overflow-wrap:anywhere; }
.pk-open { display:inline-block; margin:0 0 14px; padding:7px 14px; border-radius:8px; font-weight:600;
  background:var(--pk-accent); color:#fff !important; text-decoration:none; }
.dark .pk-open { color:#0f172a !important; }
.pk-open:hover, .pk-open:focus { text-decoration:underline; }
.pk-sec { margin:0 0 14px; padding-top:10px; border-top:1px solid var(--pk-line); }
.pk-decision { border:none; border-left:5px solid #047857; background:var(--pk-ok-bg); color:var(--pk-ink);
  border-radius:0 10px 10px 0; padding:12px 14px; }
.pk-decision h3 { color:var(--pk-ok); }
.pk-decision p { font-weight:500; }
.pk-history { margin:0; padding-left:1.3em; }
.pk-history li { margin-bottom:6px; }
.pk-history summary, .pk-full summary { cursor:pointer; font-weight:600; color:var(--pk-accent); }
.pk-hist-part { margin:6px 0 0 2px; }
.pk-full { margin-top:8px; font-size:.92rem; }
.pk-muted { color:var(--pk-muted); font-size:.9rem; }
.pk-hint { margin:0; color:var(--pk-muted); font-size:.85rem; }
#pk-actions { align-items:center; }
.pk-footer { color:var(--pk-muted); font-size:.85rem; text-align:center; padding:4px 0 10px; }
#pk-chat .message-wrap .message blockquote { border-left:4px solid #f59e0b; padding-left:10px; }
/* answers: escaped text, inline [n] buttons, numbered sources */
.pk-answer p { margin:0 0 .5em; line-height:1.55; }
.pk-answer ul { margin:.2em 0 .6em 1.2em; padding:0; }
.pk-answer li { margin:0 0 .35em; line-height:1.5; }
.pk-mh { margin-top:.6em !important; }
.pk-stream { white-space:pre-wrap; }
.pk-notice { border-left:4px solid #b45309; padding-left:10px; }
.pk-note { color:var(--pk-muted); }
.pk-srclist { margin-top:.6em; padding-top:.4em; border-top:1px solid var(--pk-line); font-size:.9rem; }
.pk-srclist ul { list-style:none; margin:0; padding:0; }
.pk-srclist li { margin:0 0 .25em; }
button.pk-cite { display:inline; font:inherit; font-size:.8em; font-weight:700; line-height:1.2; cursor:pointer;
  color:#1e3a8a; background:#dbeafe; border:1px solid #93c5fd; border-radius:6px; padding:0 4px; margin:0 1px;
  vertical-align:baseline; }
.dark button.pk-cite { color:#0f172a; background:#bfdbfe; }
button.pk-cite:hover { background:#bfdbfe; }
button.pk-link { font:inherit; font-weight:600; color:#1d4ed8; background:transparent; cursor:pointer;
  border:1px solid var(--pk-line); border-radius:8px; padding:4px 10px; }
.dark button.pk-link { color:#bfdbfe; }
button.pk-link:hover { text-decoration:underline; }
.pk-actions { display:flex; flex-wrap:wrap; gap:8px; align-items:center; margin:0 0 12px; }
.pk-actions .pk-open { margin:0; }
.pk-cited { margin:0 0 6px !important; font-weight:700; color:var(--pk-ink); background:var(--pk-accent-soft);
  border-radius:8px; padding:6px 10px; }
.pk-view h2 { margin:6px 0 4px; font-size:1.15rem; color:var(--pk-ink); }
.pk-view h3 { margin:12px 0 4px; font-size:1rem; color:var(--pk-ink); }
.pk-view { color:var(--pk-ink); }
.pk-back { margin-bottom:6px; }
.pk-table-wrap { overflow-x:auto; }
.pk-table { border-collapse:collapse; width:100%; font-size:.88rem; }
.pk-table th, .pk-table td { border:1px solid var(--pk-line); padding:4px 6px; text-align:left; vertical-align:top; }
.pk-table thead th { background:var(--pk-soft); }
.pk-num { text-align:right !important; font-variant-numeric:tabular-nums; }
.pk-here { background:var(--pk-accent-soft); }
.pk-meeting-list { padding-left:0; list-style:none; }
.pk-meeting-list li { padding:6px 8px; border-bottom:1px solid var(--pk-line); }
.pk-badge-ok { background:var(--pk-ok-bg); color:var(--pk-ok); border:1px solid #047857; }
.pk-badge-info { background:var(--pk-accent-soft); color:var(--pk-ink); }
.pk-refused li { margin-bottom:4px; overflow-wrap:anywhere; }
/* keyboard: a focus ring that is always visible */
button:focus-visible, a:focus-visible, input:focus-visible, textarea:focus-visible, [tabindex]:focus-visible,
summary:focus-visible, label:focus-within { outline:3px solid var(--pk-focus) !important; outline-offset:2px !important; }
.pk-item:focus { outline:3px solid var(--pk-focus); outline-offset:2px; }
#pk-command { display:none !important; }
@media (max-width: 700px) {
  .pk-disclaimer { display:none; }
  .pk-header h1 { font-size:1.1rem; }
  .pk-tagline { font-size:.85rem; }
  #pk-panel { max-height:none; }
  #pk-main > div { min-width:100% !important; }
  .gradio-container { padding:0 6px !important; }
}
"""

# Forwards clicks on the app's own pk-cmd buttons to the hidden command box (the
# server checks the item id); then moves keyboard focus to what opened in the panel.
PAGE_HEAD = """<script>
(() => {
  function send(cmd) {
    const box = document.querySelector('#pk-command textarea, #pk-command input');
    if (!box) return;
    box.value = cmd + '|' + Date.now();
    box.dispatchEvent(new Event('input', {bubbles: true}));
  }
  document.addEventListener('click', (ev) => {
    const el = ev.target.closest && ev.target.closest('button[name="pk-cmd"]');
    if (!el) return;
    ev.preventDefault();
    ev.stopPropagation();
    const cmd = el.value || '';
    if (!/^(open|case|meeting):[A-Za-z0-9_-]+(:[0-9]+)?$/.test(cmd)) return;
    send(cmd);
    const id = cmd.split(':')[1];
    let tries = 0;
    const focus = () => {
      const t = document.querySelector('#pk-panel [data-view-for="' + CSS.escape(cmd) + '"], '
        + '#pk-panel .pk-item[data-item-id="' + CSS.escape(id) + '"]');
      if (t && cmd.startsWith('open:')) { t.focus({preventScroll: false}); return; }
      if (t) { t.focus(); return; }
      if (++tries < 40) setTimeout(focus, 150);
    };
    setTimeout(focus, 150);
  }, true);
})();
</script>"""
