// codekg explorer: a single page over codekgd's HTTP API (no framework, no build step).
// Query box with examples -> results as a table and as a node-link graph; click a node to see
// its code and expand its neighbours; entity search; synthesis jobs with progress.
// All text from the server goes into the page through textContent, never as HTML.
'use strict';

const $ = (sel) => document.querySelector(sel);
const el = (tag, attrs = {}, text) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
};
const svgEl = (tag, attrs = {}) => {
  const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
};
const enc = encodeURIComponent;

const EXAMPLES = [
  ['Subclasses and their bases', 'MATCH (c:Class)-[r:INHERITS]->(b:Class) RETURN c, r, b LIMIT 50'],
  ['Methods of a class', "MATCH (c:Class {name: 'Cart'})-[r:HAS_METHOD]->(m:Method)\nRETURN c, r, m ORDER BY m.start_line"],
  ['Who calls a function (up to 3 hops)', "MATCH (f {name: 'round_money'})<-[:CALLS*1..3]-(caller)\nRETURN DISTINCT caller.qualified_name AS caller, labels(caller) AS kind"],
  ['Imports of a module', "MATCH (m:Module)-[i:IMPORTS]->(t) RETURN m.name AS module, t.name AS imports, i.line AS line ORDER BY module, line LIMIT 100"],
  ['Entity at file:line', "MATCH (n) WHERE n.path = 'shop/models.py' AND n.start_line <= 95 AND n.end_line >= 95\nRETURN n.qualified_name, labels(n), n.start_line, n.end_line ORDER BY n.start_line DESC"],
  ['Most called functions (fan-in)', 'MATCH (caller)-[:CALLS]->(f) WITH f, count(caller) AS callers\nRETURN f.qualified_name AS callee, callers ORDER BY callers DESC LIMIT 20'],
  ['Functions whose name contains a word', "MATCH (f:Function) WHERE f.name CONTAINS 'price' RETURN f.name, f.signature"],
  ['Plan of a query', "EXPLAIN MATCH (c:Class {name: 'Cart'})-[:HAS_METHOD]->(m) RETURN m.name"],
];
const COLORS = {
  Class: '#3b6fd8', Function: '#2e9e5b', Method: '#7f56d9', Module: '#d9822b', File: '#8a8f9c',
  Field: '#c2417a', Variable: '#b8a12e', External: '#a0a6b4', Directory: '#5d6470',
  Repo: '#1d2330', Doc: '#0f8b8d', DocSection: '#0f8b8d',
};

const state = {
  graph: '',
  nodes: new Map(),   // id -> {id, label, name, x, y, vx, vy}
  links: new Map(),   // "src|type|dst" -> {src, dst, type}
  selected: null,
  sim: null,
};

// ---------- HTTP ----------
async function api(method, path, body) {
  const headers = {};
  const token = $('#token').value.trim();
  if (token) headers['Authorization'] = 'Bearer ' + token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body)});
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch (e) { /* not JSON */ }
  if (!res.ok) {
    const err = new Error(json && json.error ? json.error.message : `HTTP ${res.status}: ${text.slice(0, 200)}`);
    err.code = json && json.error ? json.error.code : String(res.status);
    err.position = json && json.error ? json.error.position : null;
    throw err;
  }
  return json === null ? text : json;
}
const graphPath = (suffix) => `/v1/graphs/${enc(state.graph)}${suffix}`;

// "error: message" plus the query line with a caret under the reported column.
function errorText(err, text) {
  let s = `error: ${err.code}: ${err.message}`;
  if (err.position && text) {
    const line = text.split('\n')[err.position.line - 1];
    if (line !== undefined) {
      s += `\n  ${line}\n  ${' '.repeat(Math.max(0, err.position.column - 1))}^`;
    }
  }
  return s;
}
function setStatus(sel, text, isError) {
  const e = $(sel);
  e.textContent = text;
  e.classList.toggle('error', !!isError);
}

// ---------- graphs ----------
async function loadGraphs() {
  const sel = $('#graph');
  const {graphs} = await api('GET', '/v1/graphs');
  sel.textContent = '';
  for (const g of graphs) sel.append(el('option', {value: g.name}, g.name));
  const wanted = new URLSearchParams(location.search).get('graph');
  if (wanted && graphs.some((g) => g.name === wanted)) sel.value = wanted;
  state.graph = sel.value;
  showGraphStats(graphs);
  if (!graphs.length) setStatus('#status', 'no graphs yet: ingest one (POST /v1/graphs/{g}/ingest or `codekg ingest PATH --graph G`)');
}
function showGraphStats(graphs) {
  const g = graphs.find((x) => x.name === state.graph);
  $('#graph-stats').textContent = g ? `${g.node_count} nodes, ${g.edge_count} edges, ${g.file_count} files` : '';
}

// ---------- query ----------
function isNode(v) { return v && typeof v === 'object' && !Array.isArray(v) && '_id' in v && Array.isArray(v._labels); }
function isRel(v) { return v && typeof v === 'object' && !Array.isArray(v) && '_type' in v && '_src' in v && '_dst' in v; }
function cellText(v) {
  if (v === null) return 'null';
  if (typeof v === 'string') return v;
  if (isNode(v)) return `(${v._labels.map((l) => ':' + l).join('')} ${v._id})`;
  if (isRel(v)) return `[:${v._type} ${v._src}->${v._dst}]`;
  return JSON.stringify(v);
}

async function runQuery() {
  const text = $('#query').value;
  const limit = parseInt($('#limit').value, 10) || 200;
  setStatus('#status', 'running...');
  try {
    const res = await api('POST', graphPath('/query'), {query: text, limit});
    const st = res.stats || {};
    const ms = (st.parse_ms || 0) + (st.plan_ms || 0) + (st.exec_ms || 0);
    let s = `${res.rows.length} row${res.rows.length === 1 ? '' : 's'} in ${ms.toFixed(2)} ms`;
    if (res.truncated) s += ` (truncated: ${res.limit_hit || 'limit'} hit)`;
    for (const w of res.warnings || []) s += `\nwarning: ${w}`;
    setStatus('#status', s);
    renderTable(res);
    graphFromRows(res.rows);
  } catch (err) {
    setStatus('#status', errorText(err, text), true);
  }
}

function renderTable(res) {
  const table = $('#table');
  table.textContent = '';
  const head = el('tr');
  for (const c of res.columns) head.append(el('th', {}, c));
  table.append(head);
  for (const row of res.rows) {
    const tr = el('tr');
    row.forEach((v) => {
      const td = el('td', {}, cellText(v).slice(0, 300));
      if (isNode(v)) {
        td.className = 'cell-node';
        td.addEventListener('click', () => selectNode(v._id, true));
      }
      tr.append(td);
    });
    table.append(tr);
  }
}

// ---------- graph view ----------
function addNode(id, label, name) {
  if (!state.nodes.has(id)) {
    const angle = Math.random() * 2 * Math.PI;
    const r = 40 + Math.random() * 120;
    const svg = $('#graph-svg').getBoundingClientRect();
    state.nodes.set(id, {id, label: label || '', name: name || id, x: (svg.width || 600) / 2 + r * Math.cos(angle),
                         y: 260 + r * Math.sin(angle), vx: 0, vy: 0});
  }
  return state.nodes.get(id);
}
function addLink(src, type, dst) {
  if (src === dst || !state.nodes.has(src) || !state.nodes.has(dst)) return;
  state.links.set(`${src}|${type}|${dst}`, {src, dst, type});
}
function graphFromRows(rows) {
  state.nodes.clear();
  state.links.clear();
  const rels = [];
  const visit = (v) => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (isNode(v)) addNode(v._id, v._labels[0], v.name);
    else if (isRel(v)) rels.push(v);
  };
  rows.forEach((r) => r.forEach(visit));
  for (const r of rels) addLink(r._src, r._type, r._dst);
  drawGraph();
}

function drawGraph() {
  const svg = $('#graph-svg');
  svg.textContent = '';
  const linkLayer = svgEl('g');
  const nodeLayer = svgEl('g');
  svg.append(linkLayer, nodeLayer);
  for (const l of state.links.values()) {
    l.line = svgEl('line', {class: 'link'});
    l.text = svgEl('text', {class: 'link-label'});
    l.text.textContent = l.type;
    linkLayer.append(l.line, l.text);
  }
  for (const n of state.nodes.values()) {
    const g = svgEl('g', {class: 'node' + (state.selected === n.id ? ' selected' : ''), 'data-id': n.id});
    const c = svgEl('circle', {r: 8, fill: COLORS[n.label] || '#6b7280'});
    const title = svgEl('title');
    title.textContent = `${n.id} (${n.label})`;
    const t = svgEl('text', {dx: 11, dy: 4});
    t.textContent = n.name;
    g.append(c, title, t);
    g.addEventListener('click', () => selectNode(n.id, true));
    n.g = g;
    nodeLayer.append(g);
  }
  startSimulation();
}

// A small force layout: pairwise repulsion, springs along links, a pull to the centre.
function startSimulation() {
  if (state.sim) cancelAnimationFrame(state.sim);
  let ticks = 0;
  const nodes = [...state.nodes.values()];
  const byId = state.nodes;
  const step = () => {
    const rect = $('#graph-svg').getBoundingClientRect();
    const cx = (rect.width || 600) / 2, cy = (rect.height || 520) / 2;
    const alpha = Math.max(0.02, 1 - ticks / 200);
    for (let i = 0; i < nodes.length; i++) {
      const a = nodes[i];
      for (let j = i + 1; j < nodes.length; j++) {
        const b = nodes[j];
        let dx = a.x - b.x, dy = a.y - b.y;
        let d2 = dx * dx + dy * dy;
        if (d2 < 1) { dx = Math.random(); dy = Math.random(); d2 = 1; }
        const f = Math.min(6000 / d2, 8) * alpha;
        const d = Math.sqrt(d2);
        a.vx += f * dx / d; a.vy += f * dy / d;
        b.vx -= f * dx / d; b.vy -= f * dy / d;
      }
      a.vx += (cx - a.x) * 0.005 * alpha;
      a.vy += (cy - a.y) * 0.005 * alpha;
    }
    for (const l of state.links.values()) {
      const a = byId.get(l.src), b = byId.get(l.dst);
      const dx = b.x - a.x, dy = b.y - a.y;
      const d = Math.sqrt(dx * dx + dy * dy) || 1;
      const f = (d - 120) * 0.02 * alpha;
      a.vx += f * dx / d; a.vy += f * dy / d;
      b.vx -= f * dx / d; b.vy -= f * dy / d;
    }
    for (const n of nodes) {
      n.vx *= 0.6; n.vy *= 0.6;
      n.x = Math.max(10, Math.min((rect.width || 600) - 60, n.x + n.vx));
      n.y = Math.max(10, Math.min((rect.height || 520) - 10, n.y + n.vy));
      n.g.setAttribute('transform', `translate(${n.x.toFixed(1)},${n.y.toFixed(1)})`);
    }
    for (const l of state.links.values()) {
      const a = byId.get(l.src), b = byId.get(l.dst);
      l.line.setAttribute('x1', a.x); l.line.setAttribute('y1', a.y);
      l.line.setAttribute('x2', b.x); l.line.setAttribute('y2', b.y);
      l.text.setAttribute('x', (a.x + b.x) / 2); l.text.setAttribute('y', (a.y + b.y) / 2);
    }
    if (++ticks < 300) state.sim = requestAnimationFrame(step);
  };
  state.sim = requestAnimationFrame(step);
}

// Shows a node's details and code; with `expand`, adds its neighbours (one hop, both ways).
async function selectNode(id, expand) {
  state.selected = id;
  const details = $('#details');
  details.textContent = '';
  details.append(el('p', {class: 'muted'}, 'loading ' + id + ' ...'));
  try {
    const {node} = await api('GET', graphPath(`/nodes/${enc(id)}?max_lines=200`));
    details.textContent = '';
    details.append(el('h2', {}, node.id));
    details.append(el('p', {class: 'muted'}, node.labels.join(', ')));
    const dl = el('dl');
    for (const [k, v] of Object.entries(node.properties)) {
      if (k === 'docstring' || v === null || (Array.isArray(v) && !v.length)) continue;
      dl.append(el('dt', {}, k), el('dd', {}, typeof v === 'string' ? v : JSON.stringify(v)));
    }
    details.append(dl);
    if (node.properties.docstring) details.append(el('p', {}, node.properties.docstring));
    if (node.edges) {
      const parts = [];
      for (const dir of ['out', 'in']) {
        for (const [t, n] of Object.entries(node.edges[dir] || {})) parts.push(`${dir === 'out' ? '-' : '<-'}[${t}]${dir === 'out' ? '->' : '-'} ${n}`);
      }
      details.append(el('p', {class: 'muted edges'}, parts.join('   ')));
    }
    if (node.code) details.append(el('pre', {class: 'code', id: 'node-code'}, node.code));
    if (expand) {
      const tree = await api('GET', graphPath(`/nodes/${enc(id)}/tree?depth=1&direction=both&max_nodes=60&format=json`));
      const root = tree.root;
      addNode(root.id, root.label, root.name);
      for (const c of root.children || []) {
        addNode(c.id, c.label, c.name);
        if (c.direction === 'in') addLink(c.id, c.edge, root.id);
        else addLink(root.id, c.edge, c.id);
      }
      drawGraph();
    } else {
      for (const g of document.querySelectorAll('#graph-svg .node')) g.classList.toggle('selected', g.dataset.id === id);
    }
  } catch (err) {
    details.textContent = '';
    details.append(el('pre', {class: 'status error'}, errorText(err)));
  }
}

// ---------- search ----------
async function runSearch() {
  const q = $('#search-q').value.trim();
  const table = $('#search-results');
  table.textContent = '';
  if (!q) return;
  try {
    const res = await api('GET', graphPath(`/search?q=${enc(q)}&limit=50`));
    setStatus('#search-status', res.results.length ? `${res.total} match${res.total === 1 ? '' : 'es'}` : (res.reason || 'no match'));
    const head = el('tr');
    for (const c of ['score', 'kind', 'qualified name', 'path:line']) head.append(el('th', {}, c));
    table.append(head);
    for (const r of res.results) {
      const tr = el('tr', {class: 'clickable'});
      tr.append(el('td', {}, String(r.score)), el('td', {}, r.kind), el('td', {}, r.qualified_name || r.name),
                el('td', {}, `${r.path || ''}:${r.start_line || ''}`));
      tr.addEventListener('click', () => {
        addNode(r.id, r.kind, r.name);
        selectNode(r.id, true);
      });
      table.append(tr);
    }
  } catch (err) {
    setStatus('#search-status', errorText(err), true);
  }
}

// ---------- synthesis ----------
async function runSynth() {
  const body = {
    strategy: $('#synth-strategy').value.trim(),
    format: $('#synth-format').value.trim(),
    max_pairs: parseInt($('#synth-max').value, 10) || 0,
    seed: parseInt($('#synth-seed').value, 10) || 0,
  };
  const bar = $('#synth-progress .bar');
  const label = $('#synth-progress span');
  $('#synth-preview').textContent = '';
  setStatus('#synth-status', 'starting...');
  try {
    let {job} = await api('POST', graphPath('/synth'), body);
    const started = Date.now();
    while (job.state === 'running' || job.state === 'queued' || job.state === 'pending') {
      const p = job.progress || {};
      const pct = p.total ? Math.min(100, (100 * p.done) / p.total) : 0;
      bar.style.width = pct.toFixed(1) + '%';
      label.textContent = p.total ? `${p.done}/${p.total}` + (p.eta_s != null ? `  ETA ${Math.ceil(p.eta_s)}s` : '') : 'running';
      await new Promise((r) => setTimeout(r, 300));
      ({job} = await api('GET', `/v1/jobs/${enc(job.id)}`));
      if (Date.now() - started > 3600e3) break;
    }
    bar.style.width = job.state === 'succeeded' ? '100%' : bar.style.width;
    label.textContent = job.state;
    if (job.state !== 'succeeded') {
      setStatus('#synth-status', `job ${job.id} ${job.state}: ${job.error ? job.error.message : ''}`, true);
      return;
    }
    const text = await api('GET', `/v1/jobs/${enc(job.id)}/results`);
    const lines = (typeof text === 'string' ? text : JSON.stringify(text)).split('\n').filter(Boolean);
    $('#synth-preview').textContent = lines.slice(0, 5).map((l) => JSON.stringify(JSON.parse(l), null, 2)).join('\n\n');
    setStatus('#synth-status', `job ${job.id} succeeded\n${JSON.stringify(job.summary, null, 2)}\nresults: /v1/jobs/${job.id}/results`);
  } catch (err) {
    setStatus('#synth-status', errorText(err), true);
  }
}

// ---------- wiring ----------
function init() {
  const ex = $('#examples');
  EXAMPLES.forEach(([title, q], i) => ex.append(el('option', {value: String(i)}, title)));
  ex.addEventListener('change', () => {
    if (ex.value !== '') $('#query').value = EXAMPLES[+ex.value][1];
  });
  $('#run').addEventListener('click', runQuery);
  $('#query').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) runQuery();
  });
  $('#search-run').addEventListener('click', runSearch);
  $('#search-q').addEventListener('keydown', (e) => { if (e.key === 'Enter') runSearch(); });
  $('#synth-run').addEventListener('click', runSynth);
  $('#graph').addEventListener('change', async () => {
    state.graph = $('#graph').value;
    showGraphStats((await api('GET', '/v1/graphs')).graphs);
  });
  $('#token').value = localStorage.getItem('codekg-token') || '';
  $('#token').addEventListener('change', () => localStorage.setItem('codekg-token', $('#token').value));
  for (const b of document.querySelectorAll('button.tab')) {
    b.addEventListener('click', () => {
      for (const x of document.querySelectorAll('button.tab')) x.classList.toggle('active', x === b);
      for (const p of ['query', 'search', 'synth']) $('#tab-' + p).classList.toggle('hidden', p !== b.dataset.tab);
    });
  }
  for (const b of document.querySelectorAll('button.view')) {
    b.addEventListener('click', () => {
      for (const x of document.querySelectorAll('button.view')) x.classList.toggle('active', x === b);
      $('#table-view').classList.toggle('hidden', b.dataset.view !== 'table');
      $('#graph-view').classList.toggle('hidden', b.dataset.view !== 'graph');
      if (b.dataset.view === 'graph') startSimulation();
    });
  }
  loadGraphs().catch((err) => setStatus('#status', errorText(err), true));
}
init();
