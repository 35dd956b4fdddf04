// End-to-end test of the web explorer in headless Chromium (Debian's chromium driven by
// playwright-core from npm): a real codekgd on 127.0.0.1, the sample project ingested, then
// load the page, run a query, see the table, switch to the graph, click a node to see its code
// and expand its neighbours, see a query error with its caret, search, and take a screenshot.
//
// Usage: node web_test.mjs <codekgd> <repo root> <screenshot.png>
// Environment: CHROMIUM (default /usr/bin/chromium). Exits non-zero on the first failure.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

const [codekgd, root, screenshot] = process.argv.slice(2);
const require = createRequire(path.join(root, 'package.json'));
const { chromium } = require('playwright-core');

function check(cond, message) {
  if (!cond) throw new Error('check failed: ' + message);
}

async function startServer(dataDir) {
  const proc = spawn(codekgd, ['--data', dataDir, '--port', '0'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const line = await new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: proc.stdout });
    rl.once('line', resolve);
    proc.once('exit', (code) => reject(new Error('codekgd exited with ' + code)));
    setTimeout(() => reject(new Error('codekgd did not start in 30 s')), 30000);
  });
  check(line.startsWith('codekgd listening on http://'), 'listening line: ' + line);
  return { proc, base: line.split(' on ')[1].trim() };
}

async function ingest(base, graph, dir) {
  let res = await fetch(`${base}/v1/graphs/${graph}/ingest`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ path: dir }),
  });
  let body = await res.json();
  check(res.ok, 'ingest: ' + JSON.stringify(body));
  let job = body.job;
  for (let i = 0; job && job.state !== 'succeeded' && i < 600; i++) {
    check(job.state !== 'failed' && job.state !== 'cancelled', 'ingest job: ' + JSON.stringify(job));
    await new Promise((r) => setTimeout(r, 100));
    job = (await (await fetch(`${base}/v1/jobs/${job.id}`)).json()).job;
  }
}

const data = mkdtempSync(path.join(tmpdir(), 'codekg_web_'));
let server, browser;
try {
  server = await startServer(path.join(data, 'd'));
  await ingest(server.base, 'shop', path.join(root, 'samples', 'python'));

  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));

  // Load: the graph list is filled from /v1/graphs.
  await page.goto(server.base + '/?graph=shop');
  await page.waitForFunction(() => document.querySelector('#graph').value === 'shop');
  check((await page.textContent('#graph-stats')).includes('nodes'), 'graph stats shown');

  // Run a query: one row in the table.
  await page.fill('#query', "MATCH (c:Class {name: 'GiftCard'})-[r:INHERITS]->(b:Class) RETURN c, r, b");
  await page.click('#run');
  await page.waitForSelector('#table tr:nth-child(2)');
  const rows = await page.$$eval('#table tr', (trs) => trs.map((tr) => tr.textContent));
  check(rows.length === 2, 'one result row, got ' + rows.length);
  check(rows[1].includes('shop/models.py:GiftCard') && rows[1].includes('DigitalProduct'), 'row: ' + rows[1]);
  check((await page.textContent('#status')).startsWith('1 row'), 'status line');

  // Graph view: the two nodes of the row; clicking one shows its code and expands neighbours.
  await page.click('button.view[data-view="graph"]');
  await page.waitForSelector('#graph-svg .node');
  check((await page.$$('#graph-svg .node')).length === 2, 'two nodes drawn');
  await page.click('#graph-svg .node[data-id="shop/models.py:GiftCard"] circle');
  await page.waitForFunction(() => document.querySelectorAll('#graph-svg .node').length > 2);
  await page.waitForSelector('#node-code');
  const code = await page.textContent('#node-code');
  check(code.includes('class GiftCard(DigitalProduct):'), 'node code: ' + code.slice(0, 200));
  const ids = await page.$$eval('#graph-svg .node', (ns) => ns.map((n) => n.dataset.id));
  check(ids.includes('shop/models.py:GiftCard.redeem'), 'neighbour redeem added: ' + ids.join(', '));
  await page.waitForTimeout(1500); // let the layout settle for the screenshot
  await page.screenshot({ path: screenshot, fullPage: true });

  // A malformed query: the error with a caret, and the page keeps working.
  await page.fill('#query', 'MATCH (c:Class RETURN c');
  await page.click('#run');
  await page.waitForSelector('#status.error');
  const err = await page.textContent('#status');
  check(err.includes('invalid_argument') && err.includes('^'), 'error with caret: ' + err);

  // Search: ranked entities, GiftCard first.
  await page.click('button.tab[data-tab="search"]');
  await page.fill('#search-q', 'giftcard');
  await page.press('#search-q', 'Enter');
  await page.waitForSelector('#search-results tr:nth-child(2)');
  const first = await page.textContent('#search-results tr:nth-child(2)');
  check(first.includes('shop.models.GiftCard'), 'first search hit: ' + first);

  // Synthesis: a small job runs to the end and its first records are previewed.
  await page.click('button.tab[data-tab="synth"]');
  await page.fill('#synth-max', '5');
  await page.click('#synth-run');
  await page.waitForFunction(() => document.querySelector('#synth-status').textContent.includes('succeeded'),
                             null, { timeout: 60000 });
  const preview = await page.textContent('#synth-preview');
  check(preview.includes('"instruction"') || preview.includes('"messages"'), 'synth preview: ' + preview.slice(0, 200));

  check(pageErrors.length === 0, 'no page errors: ' + pageErrors.join('; '));
  console.log('web_test: ok; screenshot at ' + screenshot);
} finally {
  if (browser) await browser.close();
  if (server && server.proc.exitCode === null) {
    // Wait for codekgd to close its store before removing its data folder.
    const exited = new Promise((resolve) => server.proc.once('exit', resolve));
    server.proc.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 20000))]);
  }
  rmSync(data, { recursive: true, force: true });
}
