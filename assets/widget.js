/* Tigris embeddable search widget.
 *
 *   <div id="search"></div>
 *   <script src="https://search.example.org/widget.js" data-target="#search" async></script>
 *
 * Optional attributes: data-size (results shown, 1-20, default 5),
 * data-placeholder (text in the empty box). The colours follow the reader's
 * light/dark preference and can be set from the host page with the custom
 * properties --tigris-accent, --tigris-bg, --tigris-text, --tigris-mark.
 *
 * Runs on other people's sites: everything lives in a shadow root (our
 * styles cannot leak out, theirs cannot leak in), the API base is the origin
 * this script was loaded from, and every field from the server is inserted
 * as text except passage.html, which the server has already escaped (it
 * only adds <mark>) and which goes into its own <span>. */
(() => {
  'use strict';

  const script = document.currentScript ||
    Array.from(document.querySelectorAll('script[src]')).reverse()
      .find((s) => /\/widget\.js(\?|#|$)/.test(s.getAttribute('src') || ''));
  if (!script) return;
  let base;
  try { base = new URL(script.src, document.baseURI).origin; } catch (_) { return; }

  const CSS = `
:host { all: initial; display: block; contain: content;
  --a: var(--tigris-accent, #0b5cad); --bg: var(--tigris-bg, #ffffff); --fg: var(--tigris-text, #1f2328);
  --mu: #57606a; --bd: #d6d3cc; --mk: var(--tigris-mark, #fde68a); --mkfg: #1f2328; --soft: #e7f0fa; --fo: #c2410c;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", Arial, sans-serif;
  font-size: 16px; line-height: 1.5; color: var(--fg); }
@media (prefers-color-scheme: dark) {
  :host { --a: var(--tigris-accent, #79b4f2); --bg: var(--tigris-bg, #1e2126); --fg: var(--tigris-text, #e6e6e3);
    --mu: #a4abb4; --bd: #3a3f47; --mk: var(--tigris-mark, #6b5413); --mkfg: #fff6d5; --soft: #1f2d3d; --fo: #fdba74; }
}
*, *::before, *::after { box-sizing: border-box; }
.w { background: var(--bg); border: 1px solid var(--bd); border-radius: 10px; padding: 12px; }
form { display: flex; gap: 8px; margin: 0; }
input { flex: 1 1 auto; min-width: 0; font: inherit; color: var(--fg); background: var(--bg);
  border: 1px solid var(--bd); border-radius: 8px; padding: 8px 12px; }
input:focus { border-color: var(--a); outline: 3px solid var(--fo); outline-offset: 1px; }
button { font: inherit; font-weight: 600; color: var(--bg); background: var(--a); border: 1px solid var(--a);
  border-radius: 8px; padding: 8px 14px; cursor: pointer; }
button:hover { filter: brightness(0.92); }
a { color: var(--a); text-underline-offset: 0.15em; }
:focus-visible { outline: 3px solid var(--fo); outline-offset: 2px; border-radius: 3px; }
.sr { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; border: 0;
  overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; }
.panel:empty { display: none; }
.panel { margin-top: 10px; }
.status { color: var(--mu); font-size: 14px; margin: 0 0 6px; }
.err { color: #8a1c12; background: #fdecea; border-radius: 6px; padding: 8px 10px; margin: 0; }
@media (prefers-color-scheme: dark) { .err { color: #ffc9c2; background: #3b1d1a; } }
ol { list-style: none; margin: 0; padding: 0; }
li { padding: 10px 0; border-top: 1px solid var(--bd); }
li:first-child { border-top: 0; padding-top: 4px; }
.t { font-weight: 650; font-size: 16.5px; line-height: 1.3; text-decoration: none; }
.t:hover { text-decoration: underline; }
.d { display: block; color: var(--mu); font-size: 13px; margin: 2px 0 4px; }
.p { display: block; font-family: Charter, "Bitstream Charter", Cambria, "Noto Serif", Georgia, serif;
  font-size: 15px; line-height: 1.55; overflow-wrap: break-word; }
mark { background: var(--mk); color: var(--mkfg); padding: 0 2px; border-radius: 3px; }
.more { display: inline-block; margin-top: 8px; font-size: 14px; font-weight: 600; }
`;

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = String(text);
    return e;
  }

  // Only http(s) links from the server end up in href (no javascript: URLs).
  function safeUrl(u) {
    try {
      const x = new URL(u, base);
      return x.protocol === 'http:' || x.protocol === 'https:' ? x.href : null;
    } catch (_) { return null; }
  }

  function formatDate(iso) {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || '');
    if (!m) return iso || '';
    const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    try {
      return d.toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
    } catch (_) { return iso; }
  }

  let seq = 0;
  function mount(host) {
    const id = 'tigris-' + (++seq);
    const size = Math.min(20, Math.max(1, parseInt(script.dataset.size || '5', 10) || 5));
    const root = host.attachShadow ? host.attachShadow({ mode: 'open' }) : host;
    const style = el('style');
    style.textContent = CSS;
    const wrap = el('div', 'w');
    const form = el('form');
    form.setAttribute('role', 'search');
    form.action = base + '/';
    form.method = 'get';
    const label = el('label', 'sr', 'Search the archive');
    label.htmlFor = id + '-q';
    const input = el('input');
    input.id = id + '-q';
    input.type = 'search';
    input.name = 'q';
    input.autocomplete = 'off';
    input.placeholder = script.dataset.placeholder || 'Search the archive\u2026';
    const button = el('button', null, 'Search');
    button.type = 'submit';
    const panel = el('div', 'panel');
    panel.id = id + '-results';
    panel.setAttribute('aria-live', 'polite');
    input.setAttribute('aria-controls', panel.id);
    form.append(label, input, button);
    wrap.append(form, panel);
    root.append(style, wrap);

    let ctl = null;
    let timer = 0;
    let last = '';

    function message(text, cls) {
      panel.replaceChildren(el('p', cls || 'status', text));
    }

    function render(j, q) {
      const list = Array.isArray(j.results) ? j.results : [];
      if (!list.length) { message('No articles match \u201c' + q + '\u201d.'); return; }
      const total = Number(j.total) || list.length;
      const status = el('p', 'status',
        (j.total_exact === false ? 'About ' : '') + total.toLocaleString() +
        (total === 1 ? ' article matches' : ' articles match'));
      const ol = el('ol');
      for (const r of list) {
        const li = el('li');
        const href = safeUrl(r.url) || safeUrl((r.article_url || '/article/' + encodeURIComponent(r.id || '')) +
          '?q=' + encodeURIComponent(q));
        const a = el('a', 't', r.title || 'Untitled');
        if (href) a.href = href;
        li.append(a);
        if (r.date) {
          const t = el('time', 'd', formatDate(r.date));
          t.dateTime = String(r.date);
          li.append(t);
        }
        if (r.passage && typeof r.passage.html === 'string') {
          const p = el('span', 'p');
          // Escaped by the server; only <mark> elements are added.
          p.innerHTML = r.passage.html;
          li.append(p);
        }
        ol.append(li);
      }
      const more = el('a', 'more', total > list.length ? 'All ' + total.toLocaleString() + ' results \u2192' : 'Open the search page \u2192');
      more.href = base + '/?q=' + encodeURIComponent(q);
      panel.replaceChildren(status, ol, more);
    }

    async function search(q) {
      q = q.trim();
      if (q === last) return;
      last = q;
      if (ctl) ctl.abort();
      if (!q) { panel.replaceChildren(); return; }
      const mine = new AbortController();
      ctl = mine;
      panel.setAttribute('aria-busy', 'true');
      try {
        const res = await fetch(base + '/api/search?q=' + encodeURIComponent(q) + '&size=' + size + '&years=0&related=0',
          { signal: mine.signal, headers: { Accept: 'application/json' }, credentials: 'omit' });
        const j = await res.json().catch(() => ({}));
        if (mine !== ctl) return;
        if (!res.ok) message(j.error || 'The search failed (HTTP ' + res.status + ').', 'err');
        else render(j, q);
      } catch (err) {
        if (err && err.name === 'AbortError') return;
        if (mine !== ctl) return;
        last = '';
        message('Could not reach the search server.', 'err');
      } finally {
        if (mine === ctl) { panel.removeAttribute('aria-busy'); ctl = null; }
      }
    }

    input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => search(input.value), 200);
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      clearTimeout(timer);
      last = '';
      search(input.value);
    });
  }

  function start() {
    const sel = script.dataset.target;
    let host = null;
    try { host = sel ? document.querySelector(sel) : null; } catch (_) { host = null; }
    if (!host) {
      host = document.createElement('div');
      script.parentNode.insertBefore(host, script.nextSibling);
    }
    if (host.shadowRoot || host.dataset.tigris) return;   // mounted twice
    host.dataset.tigris = '1';
    mount(host);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
