// browser.mjs - drive headless Chromium over the DevTools protocol (no npm
// packages: Node's own WebSocket, node --experimental-websocket on Node 20):
// log in, search, open a document and a case, save screenshots, and fail on
// any script error or Content-Security-Policy violation.
//
//   node --experimental-websocket browser.mjs BASE-URL USER PASSWORD OUTDIR
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [base, user, password, outdir] = process.argv.slice(2);
const chromium = process.env.CHROMIUM || '/usr/bin/chromium';
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-chromium-'));
fs.mkdirSync(outdir, { recursive: true });

const browser = spawn(chromium, [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
  `--user-data-dir=${profile}`, '--remote-debugging-port=0', 'about:blank',
], { stdio: ['ignore', 'ignore', 'pipe'] });

const problems = [];
let ws, nextId = 1, sessionId;
const pending = new Map();
const waiters = [];

function fail(msg) {
  console.error('browser test: ' + msg);
  cleanup();
  process.exit(1);
}
function cleanup() {
  try { ws && ws.close(); } catch (e) { /* closing anyway */ }
  browser.kill('SIGKILL');
  try { fs.rmSync(profile, { recursive: true, force: true, maxRetries: 5 }); } catch (e) { /* a leftover temp folder */ }
}
setTimeout(() => fail('timed out'), 90000).unref();

function send(method, params = {}, toSession = true) {
  const id = nextId++;
  const msg = { id, method, params };
  if (toSession && sessionId) msg.sessionId = sessionId;
  ws.send(JSON.stringify(msg));
  return new Promise((resolve, reject) => pending.set(id, { resolve, reject, method }));
}
function waitEvent(method) {
  return new Promise((resolve) => waiters.push({ method, resolve }));
}

async function navigate(url) {
  const loaded = waitEvent('Page.loadEventFired');
  await send('Page.navigate', { url });
  await loaded;
}
async function evaluate(expression) {
  const r = await send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
  if (r.exceptionDetails) fail('evaluate failed: ' + expression);
  return r.result.value;
}
async function screenshot(name) {
  // every image loaded first
  await evaluate(`Promise.all([...document.images].map(i => i.complete ? 1 :
    new Promise(r => { i.onload = i.onerror = r; })))`);
  const r = await send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: false });
  fs.writeFileSync(path.join(outdir, name), Buffer.from(r.data, 'base64'));
}

const wsUrl = await new Promise((resolve) => {
  let err = '';
  browser.stderr.on('data', (d) => {
    err += d;
    const m = err.match(/DevTools listening on (ws:\/\/\S+)/);
    if (m) resolve(m[1]);
  });
  browser.on('exit', () => fail('chromium exited: ' + err.slice(-500)));
});

ws = new WebSocket(wsUrl);
await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject; });
ws.onmessage = (ev) => {
  const msg = JSON.parse(ev.data);
  if (msg.id && pending.has(msg.id)) {
    const p = pending.get(msg.id);
    pending.delete(msg.id);
    if (msg.error) fail(`${p.method}: ${msg.error.message}`);
    p.resolve(msg.result);
    return;
  }
  if (msg.method === 'Runtime.exceptionThrown')
    problems.push('script error: ' + JSON.stringify(msg.params.exceptionDetails.text));
  if (msg.method === 'Log.entryAdded' && msg.params.entry.level === 'error' &&
      msg.params.entry.source !== 'network')
    problems.push('console: ' + msg.params.entry.text);
  for (let i = 0; i < waiters.length; i++)
    if (waiters[i].method === msg.method) {
      waiters.splice(i, 1)[0].resolve(msg.params);
      break;
    }
};

const { targetId } = await send('Target.createTarget', { url: 'about:blank' }, false);
({ sessionId } = await send('Target.attachToTarget', { targetId, flatten: true }, false));
await send('Page.enable');
await send('Runtime.enable');
await send('Log.enable');
await send('Emulation.setDeviceMetricsOverride',
  { width: 1280, height: 900, deviceScaleFactor: 1, mobile: false });

// login
await navigate(base + '/login');
await screenshot('login.png');
const loggedIn = waitEvent('Page.loadEventFired');
await evaluate(`(() => {
  document.querySelector('input[name=name]').value = ${JSON.stringify(user)};
  document.querySelector('input[name=password]').value = ${JSON.stringify(password)};
  document.querySelector('form.login').submit();
})()`);
await loggedIn;
{ const where = await evaluate('location.pathname + " " + document.title + " " + ((document.querySelector(".error") || {}).textContent || "")'); if (!where.startsWith('/search ')) fail('login did not lead to /search: ' + where); }

// search
await navigate(base + '/search?q=' + encodeURIComponent('lēmums'));
const hits = await evaluate('document.querySelectorAll("li.hit").length');
if (!(hits > 0)) fail('no hits for lēmums');
if (!(await evaluate('document.querySelectorAll("li.hit mark").length') > 0)) fail('no marked words');
await screenshot('search.png');

// document: the first hit, page images beside the text
const docUrl = (await evaluate('document.querySelector("li.hit a").href')).replace(/#.*/, '');
await navigate(docUrl);
const imgs = await evaluate(`Promise.all([...document.images].map(i => i.complete ? i :
  new Promise(r => { i.onload = i.onerror = () => r(i); }))).then(a => a.map(i => i.naturalWidth))`);
if (!imgs.length || imgs.some((w) => !(w > 0))) fail('page images did not load: ' + JSON.stringify(imgs));
if (!(await evaluate('document.querySelectorAll("pre.text mark").length') > 0)) fail('no highlight');
await screenshot('document.png');
// the script enlarges a page image in place
await evaluate('document.querySelector("a.zoom").click()');
if (!(await evaluate('document.querySelector("a.zoom").classList.contains("big")')))
  fail('app.js did not enlarge the page image');

// case
const caseUrl = await evaluate('(document.querySelector("dd a[href^=\'/case/\']") || {}).href');
if (!caseUrl) fail('no case link on the document');
await navigate(caseUrl);
if (!(await evaluate('document.querySelectorAll("tbody tr").length') > 0)) fail('case has no documents');
await screenshot('case.png');

if (problems.length) fail(problems.join('; '));
console.log(`browser test: ok (${hits} hits, ${imgs.length} page images, screenshots in ${outdir})`);
cleanup();
process.exit(0);
