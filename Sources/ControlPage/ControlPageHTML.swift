/// The control page: one file, no build step, no outside requests. It reads `/api/state`,
/// listens on `/api/events` and posts to `/api/control`. A token (when the server needs
/// one) comes from the address's `#token=...` (never sent to the server in the URL) or a
/// prompt, and stays in the tab's sessionStorage.
/// For the browser test, `window.improvRoll` exposes the notes and where each was drawn.
enum ControlPageHTML {
    static let text = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>improv</title>
<style>
:root { --bg:#15171c; --panel:#1e2129; --line:#2d313c; --text:#e4e6eb; --dim:#8b90a0; --accent:#4cc3ff; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--text); font:14px/1.4 system-ui, sans-serif; }
header { display:flex; align-items:center; gap:16px; padding:10px 16px; background:var(--panel); border-bottom:1px solid var(--line); }
header h1 { font-size:18px; margin:0; }
#conn { width:10px; height:10px; border-radius:50%; background:#c44; display:inline-block; }
#conn.on { background:#4c4; }
#panic { margin-left:auto; background:#c0392b; color:white; border:0; border-radius:6px; padding:8px 18px; font-weight:bold; font-size:15px; cursor:pointer; }
main { display:grid; grid-template-columns: minmax(0,1fr) 340px; gap:12px; padding:12px; }
section { background:var(--panel); border:1px solid var(--line); border-radius:8px; padding:10px 12px; }
h2 { font-size:13px; text-transform:uppercase; letter-spacing:.06em; color:var(--dim); margin:0 0 8px; }
#roll { width:100%; height:380px; display:block; background:#101217; border-radius:4px; }
#where { margin-top:6px; color:var(--dim); }
#where b { color:var(--text); }
.legend span { display:inline-block; margin-right:12px; font-size:12px; color:var(--dim); }
.legend i { display:inline-block; width:10px; height:10px; border-radius:2px; margin-right:4px; vertical-align:-1px; }
dl { display:grid; grid-template-columns: auto 1fr; gap:2px 12px; margin:0; }
dt { color:var(--dim); } dd { margin:0; }
label { display:grid; grid-template-columns: 110px minmax(0,1fr) auto; align-items:center; gap:8px; margin:5px 0; }
label select { min-width:0; max-width:100%; }
select, input[type=number], button { background:#262a34; color:var(--text); border:1px solid var(--line); border-radius:4px; padding:3px 6px; font:inherit; }
input[type=range] { width:100%; }
button { cursor:pointer; }
#msg { min-height:1.4em; color:#f77; font-size:12px; }
#msg.ok { color:#7c7; }
.ports ul { list-style:none; padding:0; margin:2px 0 8px; }
.ports li { display:flex; justify-content:space-between; gap:6px; padding:2px 0; border-bottom:1px solid var(--line); }
#log { font:12px/1.35 ui-monospace, monospace; max-height:220px; overflow:auto; white-space:pre-wrap; margin:0; color:#c8ccd6; }
.warning { color:#f0c060; } .error, .critical { color:#f77; }
.wide { grid-column: 1 / -1; }
</style>
</head>
<body>
<header>
  <h1>improv</h1><span id="conn" title="events"></span>
  <span id="name"></span><span id="presetName" style="color:var(--dim)"></span>
  <button id="panic" title="all notes off">PANIC</button>
</header>
<main>
  <div>
    <section>
      <h2>Last bars</h2>
      <canvas id="roll"></canvas>
      <div id="where">—</div>
      <div class="legend" id="legend"></div>
    </section>
    <section style="margin-top:12px">
      <h2>Log</h2>
      <pre id="log"></pre>
    </section>
  </div>
  <div>
    <section>
      <h2>Heard</h2>
      <dl>
        <dt>key</dt><dd id="hKey">—</dd>
        <dt>tempo</dt><dd id="hTempo">—</dd>
        <dt>beat</dt><dd id="hBeat">—</dd>
        <dt>register</dt><dd id="hRegister">—</dd>
        <dt>swing</dt><dd id="hSwing">—</dd>
        <dt>playing</dt><dd id="hCalling">—</dd>
      </dl>
    </section>
    <section style="margin-top:12px">
      <h2>Controls</h2>
      <label>mode <select id="mode"><option>call-and-response</option><option>backing</option><option>duet</option></select><span></span></label>
      <label>key <select id="key"></select><span id="keyNow"></span></label>
      <label>tempo <input type="range" id="tempoRange" min="20" max="400" step="1"><input type="number" id="tempo" min="20" max="400" step="1" style="width:64px"></label>
      <label>temperature <input type="range" id="temperature" min="0.05" max="3" step="0.05"><span id="temperatureVal"></span></label>
      <label>swing <input type="range" id="swing" min="0.5" max="0.75" step="0.01" title="0.50 straight, 0.67 triplet swing"><span><span id="swingVal"></span> <input type="checkbox" id="swingAuto" title="follow the player's swing"> auto</span></label>
      <label>develop <input type="range" id="develop" min="0" max="2" step="0.05" title="how strongly answers develop the call (0: the model alone)"><span id="developVal"></span></label>
      <label>follow <span><input type="checkbox" id="followRegister"> register <input type="checkbox" id="followDynamics"> dynamics</span><span></span></label>
      <label>top-k <input type="number" id="topK" min="0" max="1000" step="1" style="width:64px"><span style="color:var(--dim)">0 = off</span></label>
      <label>learning <select id="learn"><option>off</option><option>session</option><option>keep</option></select><button id="learnReset">reset</button></label>
      <label>drums <select id="drums"><option>off</option><option>swing</option><option>brushes</option><option>straight</option></select><span></span></label>
      <label>bass <select id="bass"><option>off</option><option>walking</option><option>two-feel</option></select><span></span></label>
      <label>comping <select id="comping"><option>off</option><option>rootless</option><option>shell</option><option>guide-tones</option><option>close</option></select><span></span></label>
      <label>click <input type="checkbox" id="click"><span></span></label>
      <label>preset <select id="preset"></select><button id="loadPreset">load</button></label>
      <div id="msg"></div>
    </section>
    <section class="ports" style="margin-top:12px">
      <h2>ALSA ports</h2>
      <div style="color:var(--dim)">into improv <span id="myIn"></span></div><ul id="inputs"></ul>
      <div style="color:var(--dim)">from improv <span id="myOut"></span></div><ul id="outputs"></ul>
      <div style="color:var(--dim)">other ports</div><ul id="others"></ul>
    </section>
  </div>
</main>
<script>
"use strict";
const COLORS = { player:"#f0a83a", melody:"#4cc3ff", chords:"#9b7bff", bass:"#4fd18b", comping:"#e070d0", drums:"#9aa0ad", click:"#5d6270" };
const $ = id => document.getElementById(id);
let token = null;
const m = /[#&]token=([^&]+)/.exec(location.hash);
if (m) { token = decodeURIComponent(m[1]); sessionStorage.setItem("improvToken", token); history.replaceState(null, "", location.pathname); }
else token = sessionStorage.getItem("improvToken");

let S = null;                 // the last state
const notes = [];             // {part, pitch, velocity, start, end}
const chords = [];            // {beat, chord}
const bars = [];              // {beat, bar}
const logLines = [];
let anchor = { beat: 0, t: performance.now(), live: false };
let tempo = 120;

function nowBeat() {
  if (!anchor.live) return anchor.beat;
  const b = anchor.beat + (performance.now() - anchor.t) / 1000 * tempo / 60;
  return Math.min(b, anchor.beat + 4);   // no events for a while: the session is quiet; stop scrolling
}
function sawBeat(b) {
  const est = nowBeat();
  if (!anchor.live || b > est || b < est - 8) anchor = { beat: b, t: performance.now(), live: true };
}

async function api(path, body) {
  const opts = { headers: {} };
  if (token) opts.headers["Authorization"] = "Bearer " + token;
  if (body !== undefined) { opts.method = "POST"; opts.headers["Content-Type"] = "application/json"; opts.body = JSON.stringify(body); }
  const r = await fetch(path, opts);
  if (r.status === 401) {
    const t = prompt("This improv asks for its web token:");
    if (t) { token = t; sessionStorage.setItem("improvToken", t); return api(path, body); }
  }
  const j = await r.json().catch(() => ({ error: "HTTP " + r.status }));
  return { ok: r.ok, status: r.status, json: j };
}

async function control(body) {
  const r = await api("/api/control", body);
  const msg = $("msg");
  if (r.ok) { msg.className = "ok"; msg.textContent = "✓ " + Object.keys(body).join(", "); if (r.json.state) applyState(r.json.state); }
  else { msg.className = ""; msg.textContent = r.json.error || ("HTTP " + r.status); }
}

function setValue(el, v) { if (document.activeElement !== el && v !== undefined && v !== null) { if (el.type === "checkbox") el.checked = !!v; else el.value = v; } }
// A current value not in the list (a preset file of its own), or `unnamed` when there is none
// (the built-in preset), shows as a first choice that cannot be picked, so the box never claims
// another one runs.
function options(sel, list, current, unnamed) {
  const extra = current ? (list.includes(current) ? null : current) : (unnamed || null);
  const want = (extra ? extra + "\u0000" : "") + list.join("\n");
  if (sel.dataset.list !== want) {
    sel.innerHTML = "";
    if (extra) { const e = document.createElement("option"); e.textContent = extra; e.value = ""; e.disabled = true; sel.appendChild(e); }
    for (const o of list) { const e = document.createElement("option"); e.textContent = o; sel.appendChild(e); }
    sel.dataset.list = want;
  }
  setValue(sel, extra ? "" : current);
}
const KEYS = ["auto"].concat(["C","Db","D","Eb","E","F","F#","G","Ab","A","Bb","B"].flatMap(k => [k, k + "m"]));

function applyState(s) {
  S = s;
  tempo = s.tempo || tempo;
  $("name").textContent = s.name;
  $("presetName").textContent = s.preset ? "· " + s.preset : "";
  setValue($("mode"), s.mode);
  options($("key"), KEYS, s.key_auto ? "auto" : s.key);
  $("keyNow").textContent = s.key_auto ? "now " + s.key : "";
  setValue($("tempo"), Math.round(s.tempo)); setValue($("tempoRange"), Math.round(s.tempo));
  setValue($("temperature"), s.temperature); $("temperatureVal").textContent = Number(s.temperature).toFixed(2);
  setValue($("topK"), s.top_k);
  setValue($("develop"), s.listen.develop); $("developVal").textContent = Number(s.listen.develop).toFixed(2);
  setValue($("followRegister"), s.listen.register); setValue($("followDynamics"), s.listen.dynamics);
  setValue($("swing"), s.swing); $("swingVal").textContent = Number(s.swing).toFixed(2); setValue($("swingAuto"), s.swing_auto);
  setValue($("learn"), s.learning.mode);
  $("learnReset").title = s.learning.phrases + " calls learned";
  setValue($("drums"), s.band.drums); setValue($("bass"), s.band.bass); setValue($("comping"), s.band.comping); setValue($("click"), s.band.click);
  options($("preset"), s.presets, s.preset, "built-in");
  const h = s.heard;
  $("hKey").textContent = h.key ? h.key + (h.colour && h.colour !== (h.key.endsWith("m") ? "minor" : "major") ? " " + h.colour : "") : "—";
  $("hTempo").textContent = h.tempo ? h.tempo.toFixed(1) + " BPM" : "— (improv at " + Math.round(s.tempo) + ", " + s.tempo_source + ")";
  $("hBeat").textContent = h.beat !== undefined && h.beat !== null ? h.beat.toFixed(2) : "—";
  $("hRegister").textContent = h.register_low !== undefined && h.register_low !== null ? noteName(h.register_low) + "–" + noteName(h.register_high) : "—";
  $("hSwing").textContent = h.swing ? h.swing.toFixed(2) : (s.swing_auto ? "auto" : "—") + " (improv " + s.swing.toFixed(2) + ")";
  $("hCalling").textContent = h.calling ? "a call" : "—";
  ports(s.connections);
  where();
  if (!anchor.live) anchor.beat = s.beat;
}

function ports(c) {
  $("myIn").textContent = c.input ? "(" + c.input + ")" : ""; $("myOut").textContent = c.output ? "(" + c.output + ")" : "";
  const list = (ul, items, make) => { ul.innerHTML = ""; for (const p of items) ul.appendChild(make(p)); if (!items.length) ul.innerHTML = "<li style='color:var(--dim)'>none</li>"; };
  const item = (p, buttons) => { const li = document.createElement("li"); const t = document.createElement("span"); t.textContent = p.address + "  " + p.name; li.appendChild(t);
    const b = document.createElement("span"); for (const [label, body] of buttons) { const e = document.createElement("button"); e.textContent = label; e.onclick = () => control(body); b.appendChild(e); } li.appendChild(b); return li; };
  list($("inputs"), c.inputs, p => item(p, [["disconnect", { disconnect: { input: p.address } }]]));
  list($("outputs"), c.outputs, p => item(p, [["disconnect", { disconnect: { output: p.address } }]]));
  const seen = new Set(c.inputs.concat(c.outputs).map(p => p.address)), others = new Map();
  for (const p of c.readable) if (!seen.has(p.address)) others.set(p.address, { p, r: true });
  for (const p of c.writable) if (!seen.has(p.address)) { const o = others.get(p.address); if (o) o.w = true; else others.set(p.address, { p, w: true }); }
  list($("others"), [...others.values()].map(o => Object.assign({}, o.p, { r: o.r, w: o.w })), p => item(p,
    [].concat(p.r ? [["play in", { connect: { input: p.address } }]] : [], p.w ? [["send to", { connect: { output: p.address } }]] : [])));
}

const NAMES = ["C","C#","D","Eb","E","F","F#","G","Ab","A","Bb","B"];
function noteName(p) { return NAMES[p % 12] + (Math.floor(p / 12) - 1); }

let pos = null;
function where() {
  if (!S) return;
  const f = S.form, p = pos || { bar: f.bar, bar_beat: f.bar_beat, chord: f.chord };
  const n = f.bars.length;
  $("where").innerHTML = "form <b>" + esc(f.name) + "</b> · bar <b>" + (p.bar + 1) + (n ? " of " + n : "") + "</b> · beat <b>" + (Math.floor(p.bar_beat) + 1) + "</b>" + (p.chord ? " · <b>" + esc(p.chord) + "</b>" : "") + " · " + f.beats_per_bar + "/4";
}
function esc(s) { return String(s).replace(/[&<>"]/g, c => ({ "&":"&amp;", "<":"&lt;", ">":"&gt;", '"':"&quot;" }[c])); }

function addLog(level, message) {
  logLines.push({ level, message });
  if (logLines.length > 60) logLines.shift();
  const pre = $("log"); pre.innerHTML = logLines.map(l => "<span class='" + esc(l.level) + "'>" + esc(l.level.padEnd(7)) + " " + esc(l.message) + "</span>").join("\n");
  pre.scrollTop = pre.scrollHeight;
}

function onEvent(e) {
  switch (e.type) {
  case "hello": case "state": applyState(e.state); break;
  case "note_on": notes.push({ part: e.part, pitch: e.pitch, velocity: e.velocity, start: e.beat, end: null }); sawBeat(e.beat); break;
  case "note_off": { for (let i = notes.length - 1; i >= 0; i--) { const n = notes[i]; if (n.end === null && n.part === e.part && n.pitch === e.pitch) { n.end = e.beat; break; } } sawBeat(e.beat); break; }
  case "all_notes_off": for (const n of notes) if (n.end === null) n.end = e.beat; break;
  case "position":
    sawBeat(e.beat); pos = e;
    if (e.bar_beat === 0 && (!bars.length || bars[bars.length - 1].beat < e.beat)) bars.push({ beat: e.beat, bar: e.bar });
    if (e.chord && (!chords.length || chords[chords.length - 1].chord !== e.chord || e.bar_beat === 0)) chords.push({ beat: e.beat, chord: e.chord });
    where(); break;
  case "log": addLog(e.level, e.message); break;
  case "dropped": addLog("warning", "(page: " + e.count + " events dropped; the connection is slow)"); break;
  }
}

function connect() {
  const ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/api/events" + (token ? "?token=" + encodeURIComponent(token) : ""));
  ws.onopen = () => { $("conn").className = "on"; document.body.dataset.connected = "1"; };
  ws.onmessage = m => { try { onEvent(JSON.parse(m.data)); } catch (err) { console.error(err); } };
  ws.onclose = () => { $("conn").className = ""; document.body.dataset.connected = ""; setTimeout(connect, 1500); };
}

// The roll: the last four bars, now at the right edge; drums in a lane along the bottom.
const canvas = $("roll"), g = canvas.getContext("2d");
function draw() {
  const dpr = window.devicePixelRatio || 1, W = canvas.clientWidth, H = canvas.clientHeight;
  if (canvas.width !== W * dpr || canvas.height !== H * dpr) { canvas.width = W * dpr; canvas.height = H * dpr; }
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.fillStyle = "#101217"; g.fillRect(0, 0, W, H);
  const bpb = S ? S.form.beats_per_bar : 4, span = 4 * bpb, now = nowBeat(), from = now - span;
  const x = b => (b - from) / span * W;
  const top = 22, drumH = 18, bottom = H - drumH - 4;
  while (notes.length && (notes[0].end !== null && notes[0].end < from - span)) notes.shift();
  const pitched = notes.filter(n => n.part !== "drums" && n.part !== "click" && (n.end === null || n.end >= from));
  let lo = 48, hi = 84;
  for (const n of pitched) { lo = Math.min(lo, n.pitch - 2); hi = Math.max(hi, n.pitch + 2); }
  const rowH = (bottom - top) / (hi - lo + 1), y = p => top + (hi - p) * rowH;
  for (let p = lo; p <= hi; p++) if ([1,3,6,8,10].includes(p % 12)) { g.fillStyle = "#14161c"; g.fillRect(0, y(p), W, rowH); }
  g.font = "12px system-ui"; g.textBaseline = "top";
  // Each C gets a faint line and its name at the left edge, so a musician can read the register.
  for (let p = Math.ceil(lo / 12) * 12; p <= hi; p += 12) {
    g.fillStyle = "#262a33"; g.fillRect(0, y(p) + rowH, W, 1);
    g.fillStyle = "#5d6270"; g.fillText(noteName(p), 3, Math.max(top, y(p) + rowH - 13));
  }
  for (const b of bars) if (b.beat >= from - 0.01) { g.fillStyle = "#2d313c"; g.fillRect(x(b.beat), 0, 1, H); g.fillStyle = "#5d6270"; g.fillText(String(b.bar + 1), x(b.beat) + 3, H - 14); }
  for (let i = 0; i < chords.length; i++) {
    const c = chords[i], end = i + 1 < chords.length ? chords[i + 1].beat : now;
    if (end < from) continue;
    g.fillStyle = "#cfd3dc"; g.fillText(c.chord, Math.max(2, x(c.beat) + 3), 4);
  }
  for (const n of notes) {
    const end = n.end === null ? now : n.end;
    if (end < from) { n.rect = null; continue; }
    const drum = n.part === "drums" || n.part === "click";
    const r = drum ? { x: x(n.start), y: H - drumH, w: 3, h: drumH - 4 }
                   : { x: x(n.start), y: y(n.pitch), w: Math.max(3, x(end) - x(n.start)), h: Math.max(2, rowH - 1) };
    g.globalAlpha = 0.45 + 0.55 * (n.velocity / 127);
    g.fillStyle = COLORS[n.part] || "#fff"; g.fillRect(r.x, r.y, r.w, r.h);
    n.rect = r;
  }
  g.globalAlpha = 1;
  g.fillStyle = "#f0f0f0"; g.fillRect(W - 1, 0, 1, H);
  requestAnimationFrame(draw);
}

window.improvRoll = {
  notes,
  find: (part, pitch) => { const n = notes.find(n => n.part === part && n.pitch === pitch && n.rect); return n ? Object.assign({}, n.rect, { color: COLORS[part] }) : null; },
};

$("legend").innerHTML = Object.entries(COLORS).map(([k, c]) => "<span><i style='background:" + c + "'></i>" + k + "</span>").join("");
$("panic").onclick = () => control({ panic: true });
$("mode").onchange = e => control({ "session.mode": e.target.value });
$("key").onchange = e => control({ "session.key": e.target.value });
$("tempo").onchange = e => control({ "session.tempo": Number(e.target.value) });
$("tempoRange").oninput = e => { $("tempo").value = e.target.value; };
$("tempoRange").onchange = e => control({ "session.tempo": Number(e.target.value) });
$("temperature").oninput = e => { $("temperatureVal").textContent = Number(e.target.value).toFixed(2); };
$("temperature").onchange = e => control({ "sampling.temperature": Number(e.target.value) });
$("swing").oninput = e => { $("swingVal").textContent = Number(e.target.value).toFixed(2); };
$("swing").onchange = e => control({ "session.swing": Number(e.target.value) });
$("swingAuto").onchange = e => control({ "session.swing": e.target.checked ? "auto" : Number($("swing").value) });
$("develop").oninput = e => { $("developVal").textContent = Number(e.target.value).toFixed(2); };
$("develop").onchange = e => control({ "listen.develop": Number(e.target.value) });
$("followRegister").onchange = e => control({ "listen.register": e.target.checked });
$("followDynamics").onchange = e => control({ "listen.dynamics": e.target.checked });
$("topK").onchange = e => control({ "sampling.top_k": Number(e.target.value) });
$("learn").onchange = e => control({ "session.learn": e.target.value });
$("learnReset").onclick = () => control({ learn_reset: true });
for (const part of ["drums", "bass", "comping"]) $(part).onchange = e => control({ ["band." + part]: e.target.value });
$("click").onchange = e => control({ "band.click": e.target.checked });
$("loadPreset").onclick = () => control({ preset: $("preset").value });

api("/api/state").then(r => { if (r.ok) applyState(r.json); else $("msg").textContent = r.json.error; });
connect();
requestAnimationFrame(draw);
</script>
</body>
</html>
"""#
}
