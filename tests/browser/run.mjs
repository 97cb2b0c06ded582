// Real-browser test of the Tigris web search (bin/searcher --serve).
//
//   node run.mjs BASE OUTDIR [WIDGET_PORT]
//
// BASE is the server URL (http://127.0.0.1:PORT), OUTDIR receives the
// screenshots, WIDGET_PORT is the loopback port of the small host page that
// embeds the widget (the server must run with --cors http://127.0.0.1:WIDGET_PORT;
// default: any free port, and the widget step then fails on CORS).
// Uses the system Chromium (/usr/bin/chromium, or $CHROMIUM); never downloads one.
// Prints one line per step and "N passed, N failed"; exits 1 on any failure.
// Queries can be changed for another corpus: TG_QUERY (a rare name with few
// results), TG_COMMON (a word with several pages of results), TG_PREFIX.
import { chromium } from 'playwright-core';
import http from 'node:http';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [BASE_ARG, OUT_ARG, WIDGET_PORT_ARG] = process.argv.slice(2);
if (!BASE_ARG || !OUT_ARG) {
  console.error('usage: node run.mjs BASE OUTDIR [WIDGET_PORT]');
  process.exit(2);
}
const BASE = BASE_ARG.replace(/\/+$/, '');
const OUT = path.resolve(OUT_ARG);
const RARE = process.env.TG_QUERY || 'Camp Liberty';
const COMMON = process.env.TG_COMMON || 'Iraq';
const PREFIX = process.env.TG_PREFIX || 'Lib';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const WAIT = 10000;
fs.mkdirSync(OUT, { recursive: true });

let passed = 0;
let failed = 0;
let stepNo = 0;
const problems = [];   // console errors, page errors, CSP violations
let quietFailures = false;

async function step(name, fn) {
  stepNo += 1;
  const t0 = Date.now();
  try {
    await fn();
    passed += 1;
    console.log(`ok   ${String(stepNo).padStart(2)} ${name} (${Date.now() - t0} ms)`);
    return true;
  } catch (err) {
    failed += 1;
    const msg = String(err && err.message ? err.message : err).split('\n')[0];
    console.log(`FAIL ${String(stepNo).padStart(2)} ${name}: ${msg}`);
    return false;
  }
}

function check(cond, msg) {
  if (!cond) throw new Error(msg);
}

function watch(page, label) {
  page.on('console', (m) => {
    // Failed loads are reported below with their URL instead.
    if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) problems.push(`${label}: console error: ${m.text()}`);
  });
  page.on('response', (r) => {
    const u = new URL(r.url());
    if (r.status() >= 400 && u.pathname !== '/favicon.ico') problems.push(`${label}: HTTP ${r.status()} for ${r.url()}`);
  });
  page.on('requestfailed', (r) => {
    const why = r.failure() ? r.failure().errorText : '';
    if (!/ERR_ABORTED/.test(why) && !quietFailures) problems.push(`${label}: request failed: ${r.url()} ${why}`);
  });
  page.on('pageerror', (e) => problems.push(`${label}: page error: ${e.message}`));
}

// Marks the document so a later check can tell that no full navigation happened.
const markDocument = (page) => page.evaluate(() => { window.__tgSameDocument = 1; });
const sameDocument = (page) => page.evaluate(() => window.__tgSameDocument === 1);

const hitIds = (page) => page.$$eval('#results .tg-hit', (l) => l.map((e) => e.dataset.id));
const summary = (page) => page.$eval('#results', (e) => e.textContent.replace(/\s+/g, ' ').trim().slice(0, 160));

async function typeQuery(page, text) {
  const q = page.locator('#tg-q');
  await q.click();
  await q.fill('');
  await q.pressSequentially(text, { delay: 35 });
}

// Resolves once #results shows hits for `text` (a <q> in the summary or marks).
async function waitForHits(page, what) {
  await page.waitForFunction(() => {
    const r = document.getElementById('results');
    return r && !r.hasAttribute('aria-busy') && r.querySelector('.tg-hit') && r.querySelector('.tg-hit mark');
  }, null, { timeout: WAIT }).catch(async () => {
    throw new Error(`no highlighted results for ${what}; #results says: ${await summary(page).catch(() => '?')}`);
  });
}

async function waitForUrl(page, pred, what, arg = null) {
  await page.waitForFunction(pred, arg, { timeout: WAIT })
    .catch(() => { throw new Error(`URL never ${what} (it is ${page.url()})`); });
}

// The host page of the widget, on a second loopback origin.
function startHostPage(port) {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>A blog that embeds Tigris</title>
<style>body{font-family:Georgia,serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#222;background:#fff}
h1{font-size:1.6rem}aside{margin:2rem 0}</style></head>
<body><h1>Notes from Mesopotamia</h1>
<p>This is an ordinary blog post on someone else's site. The search box below is the Tigris widget.</p>
<aside><h2>Search this blog</h2><div id="search"></div></aside>
<script src="${BASE}/widget.js" data-target="#search" data-size="4" async></script>
</body></html>`;
  const server = http.createServer((req, res) => {
    if (req.url === '/' || req.url.startsWith('/?')) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(html);
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

// Playwright's launch() refuses --user-data-dir, so Chromium is started here
// with exactly our flags and a fresh profile, and driven over CDP.
function startChromium(profile) {
  const proc = spawn(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    `--user-data-dir=${profile}`, '--remote-debugging-address=127.0.0.1', '--remote-debugging-port=0',
    'about:blank'], { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error(`${CHROMIUM} did not start: ${err.slice(-300)}`)); }, 30000);
    proc.stderr.on('data', (d) => {
      err += d;
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
      if (m) { clearTimeout(timer); proc.stderr.removeAllListeners('data'); proc.stderr.resume(); resolve({ proc, ws: m[1] }); }
    });
    proc.once('error', (e) => { clearTimeout(timer); reject(e); });
    proc.once('exit', (c) => { clearTimeout(timer); reject(new Error(`${CHROMIUM} exited (${c}): ${err.slice(-300)}`)); });
  });
}

async function main() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'tigris-chromium-'));
  let chrome = null;
  let browser = null;
  let host = null;
  try {
    chrome = await startChromium(profile);
    browser = await chromium.connectOverCDP(chrome.ws);
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    watch(page, 'page');
    page.setDefaultTimeout(WAIT);

    await step('page loads with its stylesheet and script', async () => {
      const res = await page.goto(BASE + '/');
      check(res && res.ok(), `GET / answered ${res && res.status()}`);
      const csp = res.headers()['content-security-policy'] || '';
      check(/script-src 'self'/.test(csp), `no strict CSP header (got "${csp}")`);
      await page.waitForSelector('#tg-form #tg-q[role="combobox"]');
      const styled = await page.$eval('.tg-go', (b) => getComputedStyle(b).borderRadius !== '0px');
      check(styled, 'style.css not applied (search button has no rounded corners)');
      await page.waitForLoadState('load');
      check(await page.evaluate(() => document.querySelectorAll('[style]').length === 0),
        'an element has an inline style attribute (forbidden by the CSP)');
      await page.screenshot({ path: path.join(OUT, 'desktop-home.png') });
    });

    await step(`results appear while typing "${RARE}" (no Enter)`, async () => {
      await markDocument(page);
      await typeQuery(page, RARE);
      // The address bar follows the last search shown (replaceState, no fragment=1).
      await waitForUrl(page, (q) => new URLSearchParams(location.search).get('q') === q, `showed q=${RARE}`, RARE);
      await waitForHits(page, RARE);
      const marks = await page.$$eval('#results mark', (l) => l.map((m) => m.textContent.toLowerCase()));
      const words = RARE.toLowerCase().split(/\s+/);
      check(marks.some((m) => words.some((w) => m.includes(w))), `no <mark> holds a word of "${RARE}": ${marks.slice(0, 5)}`);
      check(!page.url().includes('fragment='), 'fragment=1 leaked into the address bar');
      check(await sameDocument(page), 'the page was reloaded instead of updated in place');
    });

    await step(`autocomplete offers completions for "${PREFIX}" (keyboard)`, async () => {
      await typeQuery(page, PREFIX);
      await page.waitForSelector('#tg-suggest:not([hidden]) [role="option"]', { timeout: WAIT })
        .catch(() => { throw new Error(`no suggestion listbox for "${PREFIX}"`); });
      check(await page.getAttribute('#tg-q', 'aria-expanded') === 'true', 'aria-expanded is not true while the list is open');
      const first = (await page.textContent('#tg-suggest [role="option"]')).trim();
      await page.screenshot({ path: path.join(OUT, 'desktop-suggest.png') });
      await page.keyboard.press('ArrowDown');
      const activeId = await page.getAttribute('#tg-q', 'aria-activedescendant');
      check(activeId, 'ArrowDown did not set aria-activedescendant');
      check(await page.getAttribute(`#${activeId}`, 'aria-selected') === 'true', 'active option is not aria-selected');
      const optionText = (await page.textContent(`#${activeId} .tg-s-text`).catch(() => null)) || first;
      await page.keyboard.press('Enter');
      await page.waitForSelector('#tg-suggest', { state: 'hidden' });
      check(await page.getAttribute('#tg-q', 'aria-expanded') === 'false', 'aria-expanded stays true after choosing');
      const value = await page.inputValue('#tg-q');
      check(value.toLowerCase().includes(optionText.trim().toLowerCase()),
        `choosing "${optionText.trim()}" left the box at "${value}"`);
      await waitForUrl(page, (v) => new URLSearchParams(location.search).get('q') === v,
        `followed the chosen completion "${value}"`, value);
    });

    let page1 = [];
    await step(`pager: "${COMMON}" page 2 and back`, async () => {
      await markDocument(page);
      await typeQuery(page, COMMON);
      await waitForHits(page, COMMON);
      await page.locator('#tg-q').blur();   // (Escape would clear a type=search box)
      await page.waitForSelector('#tg-suggest', { state: 'hidden' });
      await page.waitForFunction((q) => new URLSearchParams(location.search).get('q') === q, COMMON);
      page1 = await hitIds(page);
      const next = page.locator('#results .tg-pager a[rel="next"]');
      check(await next.count() === 1, `no "next" link for "${COMMON}" (${await summary(page)}): use a commoner TG_COMMON`);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: path.join(OUT, 'desktop-results.png') });
      await page.screenshot({ path: path.join(OUT, 'desktop-results-full.png'), fullPage: true });
      await next.click();
      await waitForUrl(page, () => new URLSearchParams(location.search).get('page') === '2', 'got page=2');
      await page.waitForFunction((ids) => {
        const now = [...document.querySelectorAll('#results .tg-hit')].map((e) => e.dataset.id);
        return now.length > 0 && now[0] !== ids[0];
      }, page1);
      const page2 = await hitIds(page);
      check(!page2.some((id) => page1.includes(id)), 'page 2 repeats results of page 1');
      const start = await page.getAttribute('#results ol.tg-hits', 'start');
      check(Number(start) === page1.length + 1, `page 2 list starts at ${start}, want ${page1.length + 1}`);
      check(await sameDocument(page), 'the pager reloaded the page');
      await page.goBack();
      await page.waitForFunction((ids) => {
        const now = [...document.querySelectorAll('#results .tg-hit')].map((e) => e.dataset.id);
        return now.join() === ids.join();
      }, page1).catch(() => { throw new Error('Back did not restore page 1'); });
      check(await page.inputValue('#tg-q') === COMMON, 'Back did not restore the query in the box');
    });

    await step('clicking a year bar filters the results to that year', async () => {
      await page.waitForSelector('#results .tg-chart .tg-bar');
      const bars = await page.$$eval('#results .tg-bar', (l) => l.map((a) => a.dataset.year));
      check(bars.length > 1, `want several year bars, have ${bars.length}`);
      const year = bars[Math.floor(bars.length / 2)];
      await markDocument(page);
      await page.locator(`#results .tg-bar[data-year="${year}"]`).click();
      await waitForUrl(page, (y) => new URLSearchParams(location.search).get('from') === y, `got from=${year}`, year);
      await page.waitForFunction((y) => {
        const times = [...document.querySelectorAll('#results .tg-hit time[datetime]')];
        return times.length > 0 && times.every((t) => t.getAttribute('datetime').startsWith(y));
      }, year).catch(async () => {
        const d = await page.$$eval('#results .tg-hit time', (l) => l.map((t) => t.getAttribute('datetime')));
        throw new Error(`results after clicking ${year}: dates ${d.join(', ') || 'none'}`);
      });
      check(await page.inputValue('#tg-from') === year, 'the From field does not show the year');
      check(await sameDocument(page), 'the year bar reloaded the page');
    });

    let articleHref = null;
    await step('"more passages" loads matching passages in place', async () => {
      await page.goto(BASE + '/?q=' + encodeURIComponent(COMMON));
      await waitForHits(page, COMMON);
      const details = page.locator('#results details.tg-more').first();
      check(await details.count() === 1, `no "more passages" block for "${COMMON}"`);
      articleHref = await details.locator('.tg-more-body a').first().getAttribute('href').catch(() => null);
      await details.locator('summary').click();
      await page.waitForFunction(() => {
        const b = document.querySelector('#results details.tg-more[open] .tg-more-body');
        return b && !b.querySelector('.tg-loading') && b.querySelector('p');
      }).catch(() => { throw new Error('the passages never arrived'); });
      const body = details.locator('.tg-more-body');
      check(await body.locator('.tg-error').count() === 0, `error: ${await body.textContent()}`);
      check(await body.locator('mark').count() > 0, 'the loaded passages have no <mark>');
      await details.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(OUT, 'desktop-more-passages.png') });
    });

    await step('article page shows the article with matching passages marked', async () => {
      // A specific name, so that some passages of its best article match
      // and others do not (every passage of an article about Iraq says Iraq).
      const api = await (await fetch(`${BASE}/api/search?q=${encodeURIComponent('Camp Liberty')}&size=1`)).json();
      check(api.results && api.results.length === 1, 'no result for "Camp Liberty"');
      const href = `${api.results[0].article_url}?q=${encodeURIComponent('Camp Liberty')}`;
      const res = await page.goto(new URL(href, BASE).href);
      check(res && res.ok(), `GET ${href} answered ${res && res.status()}`);
      const h1 = (await page.textContent('.tg-article h1')).trim();
      check(h1.length > 0, 'article has no title');
      const marked = await page.locator('.tg-article .tg-p-match mark').count();
      check(marked > 0, 'no marked passage (.tg-p-match mark)');
      check(await page.locator('.tg-article .tg-p').count() > await page.locator('.tg-article .tg-p-match').count(),
        'every passage is marked as matching');
      await page.screenshot({ path: path.join(OUT, 'desktop-article.png'), fullPage: true });
    });

    await step('network errors show a message; a late answer to an old query is ignored', async () => {
      await page.goto(BASE + '/');
      const fragments = (u) => u.pathname === '/' && u.searchParams.get('fragment') === '1';
      quietFailures = true;   // these failures are the point of this step
      await page.route(fragments, (r) => r.abort('connectionrefused'));
      await typeQuery(page, COMMON);
      await page.waitForSelector('#results .tg-error[role="alert"]').catch(() => {
        throw new Error('no error message in #results when the server cannot be reached');
      });
      await page.unroute(fragments);
      quietFailures = false;
      // The answer for the first query arrives after the answer for the second.
      let delayed = 0;
      const slow = (u) => u.pathname === '/' && u.searchParams.get('q') === COMMON;
      await page.route(slow, async (r) => {
        delayed += 1;
        await new Promise((res) => setTimeout(res, 1500));
        await r.continue().catch(() => {});
      });
      await page.locator('#tg-q').fill('');
      await page.locator('#tg-q').fill(COMMON);
      await page.waitForTimeout(400);
      await page.locator('#tg-q').fill(RARE);
      await waitForUrl(page, (q) => new URLSearchParams(location.search).get('q') === q, `showed q=${RARE}`, RARE);
      await waitForHits(page, RARE);
      const before = await page.innerHTML('#results');
      await page.waitForTimeout(1800);
      await page.unroute(slow);
      check(delayed > 0, 'the slow request was never made');
      check(await page.innerHTML('#results') === before, 'the late answer for the old query replaced the results');
      check(new URL(page.url()).searchParams.get('q') === RARE, 'the late answer changed the address bar');
    });

    await step('phone layout (390x844): no horizontal scroll, screenshots', async () => {
      const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
      const p = await phone.newPage();
      watch(p, 'phone');
      await p.goto(BASE + '/?q=' + encodeURIComponent(COMMON));
      await waitForHits(p, COMMON);
      const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      check(overflow <= 1, `the page is ${overflow}px wider than the phone screen`);
      await p.screenshot({ path: path.join(OUT, 'phone-results.png') });
      await p.screenshot({ path: path.join(OUT, 'phone-results-full.png'), fullPage: true });
      const href = await p.getAttribute('#results .tg-hit .tg-more-body a, #results .tg-hit .tg-title a[href^="/article/"]', 'href').catch(() => null);
      if (href) {
        await p.goto(new URL(href, BASE).href);
        const ov = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        check(ov <= 1, `the article page is ${ov}px wider than the phone screen`);
        await p.screenshot({ path: path.join(OUT, 'phone-article.png') });
      }
      await phone.close();
    });

    await step('dark colour scheme renders (screenshot)', async () => {
      const dark = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
      const p = await dark.newPage();
      watch(p, 'dark');
      await p.goto(BASE + '/?q=' + encodeURIComponent(RARE));
      await waitForHits(p, RARE);
      const bg = await p.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const rgb = (bg.match(/\d+/g) || []).slice(0, 3).map(Number);
      check(rgb.length === 3 && rgb[0] + rgb[1] + rgb[2] < 200, `dark scheme background is ${bg}`);
      await p.screenshot({ path: path.join(OUT, 'desktop-dark.png') });
      await dark.close();
    });

    await step('widget on another origin shows results as you type', async () => {
      host = await startHostPage(WIDGET_PORT_ARG ? Number(WIDGET_PORT_ARG) : 0);
      const hostUrl = `http://127.0.0.1:${host.address().port}/`;
      const wctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const p = await wctx.newPage();
      watch(p, 'widget');
      await p.goto(hostUrl);
      const box = p.locator('#search input[type="search"]');   // locators pierce open shadow roots
      await box.waitFor({ timeout: WAIT }).catch(() => { throw new Error('the widget did not render its search box'); });
      check(await p.evaluate(() => !!document.querySelector('#search').shadowRoot), 'the widget does not use a shadow root');
      const label = await box.evaluate((i) => (i.labels && i.labels[0] ? i.labels[0].textContent : i.getAttribute('aria-label')) || '');
      check(label.trim().length > 0, 'the widget search box has no accessible label');
      await box.click();
      await box.pressSequentially(RARE, { delay: 35 });
      await p.locator('#search mark').first().waitFor({ timeout: WAIT }).catch(async () => {
        const txt = await p.locator('#search').evaluate((h) => h.shadowRoot ? h.shadowRoot.textContent : h.textContent);
        throw new Error(`no highlighted results in the widget (CORS for ${hostUrl}?): ${txt.replace(/\s+/g, ' ').slice(0, 160)}`);
      });
      const links = await p.locator('#search li a').evaluateAll((l) => l.map((a) => a.href));
      check(links.length > 0, 'the widget results have no links');
      check(links.every((h) => h.startsWith(BASE) || !h.startsWith(p.url().replace(/\/$/, ''))),
        `result links point to the host page: ${links[0]}`);
      const more = await p.locator('#search a.more').getAttribute('href');
      check(more && more.startsWith(BASE + '/?q='), `"more results" link is ${more}`);
      await p.screenshot({ path: path.join(OUT, 'widget.png') });
      await wctx.close();
    });

    await step('works with JavaScript disabled (plain form submit)', async () => {
      const nojs = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
      const p = await nojs.newPage();
      watch(p, 'nojs');
      await p.goto(BASE + '/');
      await p.fill('#tg-q', RARE);
      await Promise.all([p.waitForURL((u) => u.searchParams.get('q') === RARE), p.press('#tg-q', 'Enter')]);
      check(await p.locator('#results .tg-hit').count() > 0, `no results after submitting: ${await summary(p)}`);
      check(await p.locator('#results .tg-hit mark').count() > 0, 'results without <mark>');
      check(await p.locator('#tg-q').inputValue() === RARE, 'the box does not keep the query');
      await p.screenshot({ path: path.join(OUT, 'nojs-results.png') });
      await nojs.close();
    });

    await step('no JavaScript errors or CSP violations', async () => {
      check(problems.length === 0, `${problems.length} problem(s): ${problems.slice(0, 3).join(' | ')}`);
    });
  } finally {
    if (host) host.close();
    if (browser) await browser.close().catch(() => {});
    if (chrome) {
      chrome.proc.kill('SIGTERM');
      await new Promise((r) => { if (chrome.proc.exitCode !== null) r(); else { chrome.proc.once('exit', r); setTimeout(r, 3000); } });
    }
    try { fs.rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }); } catch (_) { /* left in tmp */ }
  }
}

const guard = setTimeout(() => {
  console.log(`FAIL the browser test took longer than 180 s`);
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
}, 180000);

main().then(() => {
  clearTimeout(guard);
  console.log(`screenshots: ${OUT}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}, (err) => {
  clearTimeout(guard);
  console.log(`FAIL browser: ${err && err.message ? err.message.split('\n')[0] : err}`);
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});
