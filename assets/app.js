/* Tigris search page: progressive enhancement of the server-rendered page.
 * Without this file everything still works (plain GET form, plain links);
 * with it, results follow the typing, the pager/year/chip links swap only
 * #results, the search box offers completions and "more passages" opens in
 * place. No framework, no build step; served under a strict CSP, so no
 * inline styles or handlers are created here. */
(() => {
  'use strict';

  const form = document.getElementById('tg-form');
  const input = document.getElementById('tg-q');
  const results = document.getElementById('results');
  if (!form || !input || !results) return;
  const listbox = document.getElementById('tg-suggest');

  const TYPE_DELAY = 150;
  const SUGGEST_DELAY = 90;
  const FILTER_KEYS = ['q', 'from', 'to', 'sort', 'tag'];

  let searchCtl = null;      // AbortController of the search in flight
  let searchSeq = 0;         // only the newest response may touch the page
  let typeTimer = 0;
  let lastQueryString = currentParams().toString();

  /* ---------- parameters and URLs ---------- */

  // The form's fields as search parameters, empty ones and the default sort left out.
  function currentParams() {
    const p = new URLSearchParams();
    for (const [k, v] of new FormData(form)) {
      const s = String(v).trim();
      if (!s || (k === 'sort' && s === 'relevance')) continue;
      p.set(k, s);
    }
    return p;
  }

  function pageUrl(params) {
    const s = params.toString();
    return s ? '/?' + s : '/';
  }

  // Puts a URL's parameters back into the form (after a link or history move).
  function syncForm(params) {
    input.value = params.get('q') || '';
    const from = document.getElementById('tg-from');
    const to = document.getElementById('tg-to');
    const sort = document.getElementById('tg-sort');
    if (from) from.value = params.get('from') || '';
    if (to) to.value = params.get('to') || '';
    if (sort) sort.value = params.get('sort') === 'date' ? 'date' : 'relevance';
    syncTag(params.get('tag') || '');
  }

  // The tag filter lives in a hidden input plus a chip with a remove link
  // (same markup as the server's page.html).
  function syncTag(tag) {
    const filters = form.querySelector('.tg-filters') || form;
    let hidden = form.querySelector('input[name="tag"]');
    const chip = filters.querySelector('.tg-chip-active');
    if (!tag) {
      if (hidden) hidden.remove();
      if (chip) chip.remove();
      return;
    }
    if (!hidden) {
      hidden = document.createElement('input');
      hidden.type = 'hidden';
      hidden.name = 'tag';
      filters.appendChild(hidden);
    }
    hidden.value = tag;
    const without = currentParams();
    without.delete('tag');
    without.delete('page');
    const span = document.createElement('span');
    span.className = 'tg-chip tg-chip-active';
    span.textContent = 'Tag: ' + tag + ' ';
    const a = document.createElement('a');
    a.href = pageUrl(without);
    a.setAttribute('aria-label', 'Remove the tag filter');
    a.textContent = '\u00d7';
    span.appendChild(a);
    if (chip) chip.replaceWith(span);
    else filters.appendChild(span);
  }

  /* ---------- searching ---------- */

  function showError(message) {
    const p = document.createElement('p');
    p.className = 'tg-error';
    p.setAttribute('role', 'alert');
    p.textContent = message;
    results.replaceChildren(p);
  }

  // Fetches the fragment for `params` and swaps it into #results.
  // history: 'push' | 'replace' | 'none'. Returns a promise that settles
  // when the page has been updated (or the request was superseded).
  async function runSearch(params, history = 'replace', opts = {}) {
    if (searchCtl) searchCtl.abort();
    const ctl = new AbortController();
    searchCtl = ctl;
    const seq = ++searchSeq;
    const url = pageUrl(params);
    // Leaving the article view for results gets its own history entry.
    if (history === 'replace' && results.classList.contains('tg-article')) history = 'push';
    lastQueryString = params.toString();
    const fetchParams = new URLSearchParams(params);
    fetchParams.set('fragment', '1');
    if (opts.partial) fetchParams.set('partial', '1');
    results.setAttribute('aria-busy', 'true');
    try {
      const res = await fetch('/?' + fetchParams.toString(), {
        signal: ctl.signal,
        headers: { Accept: 'text/html' },
      });
      const body = await res.text();
      if (seq !== searchSeq) return;
      if (!res.ok && !/text\/html/.test(res.headers.get('Content-Type') || '')) {
        let msg = 'The search failed (HTTP ' + res.status + ').';
        try { msg = JSON.parse(body).error || msg; } catch (_) { /* not JSON */ }
        showError(msg);
        lastQueryString = '';   // the same words typed again should retry
      } else {
        // Our own server rendered this fragment (same origin, escaped).
        results.innerHTML = body;
      }
      if (results.classList.contains('tg-article')) {
        results.classList.replace('tg-article', 'tg-results');
      }
      results.setAttribute('aria-live', 'polite');
      if (history === 'push') window.history.pushState({ tg: 1 }, '', url);
      else if (history === 'replace') window.history.replaceState({ tg: 1 }, '', url);
      updateTitle(params.get('q') || '');
      if (opts.focusResults) {
        results.setAttribute('tabindex', '-1');
        results.focus({ preventScroll: true });
        results.scrollIntoView({ block: 'start', behavior: 'smooth' });
      }
    } catch (err) {
      if (err && err.name === 'AbortError') return;
      if (seq !== searchSeq) return;
      lastQueryString = '';
      showError('Could not reach the search server. Check your connection and try again.');
    } finally {
      if (seq === searchSeq) {
        results.removeAttribute('aria-busy');
        if (searchCtl === ctl) searchCtl = null;
      }
    }
  }

  // Page titles are "QUERY – Site" (en dash) or just "Site".
  const TITLE_SEP = ' \u2013 ';
  const baseTitle = document.title.split(TITLE_SEP).pop() || document.title;
  function updateTitle(q) {
    document.title = q ? q + TITLE_SEP + baseTitle : baseTitle;
  }

  // Typing and filter changes: search when the parameters really changed.
  // partial: typing, so the last word may be half a word (the server
  // then also matches the words it begins).
  function scheduleSearch(delay = TYPE_DELAY, partial = false) {
    clearTimeout(typeTimer);
    typeTimer = setTimeout(() => {
      const p = currentParams();
      if (p.toString() === lastQueryString) return;
      runSearch(p, 'replace', { partial });
    }, delay);
  }

  input.addEventListener('input', () => {
    scheduleSearch(TYPE_DELAY, true);
    scheduleSuggest();
  });

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearTimeout(typeTimer);
    closeSuggest();
    runSearch(currentParams(), 'push');
  });

  // The server takes YYYY, YYYY-MM or YYYY-MM-DD; search only once one is complete.
  const yearOk = (v) => v.trim() === '' || /^\d{4}(-\d{2}(-\d{2})?)?$/.test(v.trim());
  for (const id of ['tg-from', 'tg-to']) {
    const el = document.getElementById(id);
    if (!el) continue;
    el.addEventListener('input', () => {
      if (yearOk(el.value)) {
        el.removeAttribute('aria-invalid');
        scheduleSearch(400);
      }
    });
    el.addEventListener('change', () => {
      if (!yearOk(el.value)) el.setAttribute('aria-invalid', 'true');
    });
  }
  const sortEl = document.getElementById('tg-sort');
  if (sortEl) sortEl.addEventListener('change', () => {
    clearTimeout(typeTimer);
    runSearch(currentParams(), 'push');
  });

  /* ---------- links to result pages: swap #results only ---------- */

  function linkTarget(a) {
    const raw = a.getAttribute('href') || a.getAttribute('xlink:href');
    if (!raw) return null;
    let u;
    try { u = new URL(raw, window.location.href); } catch (_) { return null; }
    if (u.origin !== window.location.origin || u.pathname !== '/') return null;
    return u;
  }

  document.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = e.target instanceof Element ? e.target.closest('a') : null;
    if (!a || !(results.contains(a) || form.contains(a))) return;
    if (a.getAttribute('target') && a.getAttribute('target') !== '_self') return;
    const u = linkTarget(a);
    if (!u) return;
    e.preventDefault();
    const params = new URLSearchParams(u.search);
    params.delete('fragment');
    syncForm(params);
    closeSuggest();
    // The clicked link is replaced: move focus to the new results.
    runSearch(params, 'push', { focusResults: results.contains(a) });
  });

  window.addEventListener('popstate', () => {
    if (window.location.pathname !== '/') { window.location.reload(); return; }
    const params = new URLSearchParams(window.location.search);
    params.delete('fragment');
    syncForm(params);
    closeSuggest();
    runSearch(params, 'none');
  });
  // The first entry gets a state too, so popstate back to it is ours.
  if (window.location.pathname === '/' && !window.history.state) {
    window.history.replaceState({ tg: 1 }, '', window.location.href);
  }

  /* ---------- "N more passages": load them in place ---------- */

  document.addEventListener('toggle', (e) => {
    const d = e.target;
    if (!(d instanceof HTMLDetailsElement) || !d.classList.contains('tg-more') || !d.open) return;
    if (d.dataset.loaded === '1' || d.dataset.loading === '1') return;
    loadMore(d);
  }, true);

  async function loadMore(d) {
    const body = d.querySelector('.tg-more-body');
    if (!body) return;
    const id = d.dataset.article;
    if (!id) return;
    const q = d.dataset.q || input.value;
    const fallback = body.querySelector('a');
    const fallbackHref = fallback ? fallback.getAttribute('href') : '/article/' + encodeURIComponent(id) + '?q=' + encodeURIComponent(q);
    d.dataset.loading = '1';
    const loading = document.createElement('p');
    loading.className = 'tg-loading';
    loading.textContent = 'Loading passages\u2026';
    body.replaceChildren(loading);
    try {
      const res = await fetch('/api/article/' + encodeURIComponent(id) + '?q=' + encodeURIComponent(q),
        { headers: { Accept: 'application/json' } });
      const j = await res.json().catch(() => ({}));
      if (!res.ok) throw new Error(j.error || 'HTTP ' + res.status);
      const hit = d.closest('.tg-hit');
      const shown = hit && hit.querySelector('.tg-passage') ? hit.querySelector('.tg-passage').textContent.trim() : '';
      const frag = document.createDocumentFragment();
      for (const p of Array.isArray(j.passages) ? j.passages : []) {
        if (!p || !p.match || (typeof p.text === 'string' && p.text.trim() === shown)) continue;
        const el = document.createElement('p');
        // passage.html is the passage text escaped by the server with <mark> added.
        el.innerHTML = String(p.html || '');
        frag.appendChild(el);
      }
      if (!frag.childNodes.length) {
        const none = document.createElement('p');
        none.className = 'tg-loading';
        none.textContent = 'No other passage of this article matches.';
        frag.appendChild(none);
      }
      const link = document.createElement('a');
      link.href = fallbackHref;
      link.textContent = 'Read the whole article';
      frag.appendChild(link);
      body.replaceChildren(frag);
      d.dataset.loaded = '1';
    } catch (err) {
      const p = document.createElement('p');
      p.className = 'tg-error';
      p.setAttribute('role', 'alert');
      p.textContent = 'Could not load the passages (' + (err && err.message ? err.message : 'network error') + '). ';
      const link = document.createElement('a');
      link.href = fallbackHref;
      link.textContent = 'Show them in the article';
      p.appendChild(link);
      body.replaceChildren(p);
    } finally {
      delete d.dataset.loading;
    }
  }

  /* ---------- autocomplete (ARIA 1.2 combobox with a listbox popup) ---------- */

  let suggestCtl = null;
  let suggestTimer = 0;
  let options = [];          // current suggestions [{text, freq, name}]
  let active = -1;           // index of the highlighted option
  let suggestFor = '';       // the input value the list belongs to

  // The part of the query the server completes: the last few words.
  function suggestPrefix(value) {
    const words = value.replace(/^\s+/, '').split(/\s+/);
    if (/\s$/.test(value)) return '';
    return words.slice(-3).join(' ');
  }

  function scheduleSuggest() {
    if (!listbox) return;
    clearTimeout(suggestTimer);
    suggestTimer = setTimeout(fetchSuggest, SUGGEST_DELAY);
  }

  async function fetchSuggest() {
    const value = input.value;
    const prefix = suggestPrefix(value);
    if (suggestCtl) suggestCtl.abort();
    if (prefix.replace(/\s/g, '').length < 2) { closeSuggest(); return; }
    const ctl = new AbortController();
    suggestCtl = ctl;
    try {
      const res = await fetch('/api/suggest?q=' + encodeURIComponent(prefix), {
        signal: ctl.signal, headers: { Accept: 'application/json' },
      });
      if (!res.ok) { closeSuggest(); return; }
      const j = await res.json();
      if (ctl !== suggestCtl || input.value !== value || document.activeElement !== input) return;
      const list = (Array.isArray(j.suggestions) ? j.suggestions : [])
        .filter((s) => s && typeof s.text === 'string' && s.text && completeWith(value, s.text) !== value)
        .slice(0, 8);
      openSuggest(list, value);
    } catch (err) {
      if (!err || err.name !== 'AbortError') closeSuggest();
    } finally {
      if (suggestCtl === ctl) suggestCtl = null;
    }
  }

  // The query with its unfinished tail replaced by `text`: the longest run
  // of trailing words that `text` starts with is replaced, so "camp lib" +
  // "Camp Liberty" gives "Camp Liberty" and "sadr ci" + "city" gives "sadr city".
  function completeWith(value, text) {
    const words = value.replace(/\s+$/, '').split(/(\s+)/);   // keeps separators
    const t = text.toLowerCase();
    for (let i = 0; i < words.length; i += 2) {
      const tail = words.slice(i).join('').toLowerCase();
      if (t.startsWith(tail) && tail) return words.slice(0, i).join('') + text;
    }
    return value.replace(/\S*$/, '') + text;
  }

  function openSuggest(list, value) {
    options = list;
    suggestFor = value;
    active = -1;
    input.removeAttribute('aria-activedescendant');
    if (!list.length) { closeSuggest(); return; }
    const frag = document.createDocumentFragment();
    list.forEach((s, i) => {
      const li = document.createElement('li');
      li.id = 'tg-suggest-' + i;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', 'false');
      const text = document.createElement('span');
      text.className = s.name ? 'tg-s-text tg-s-name' : 'tg-s-text';
      text.textContent = s.text;
      li.appendChild(text);
      if (Number.isFinite(s.freq) && s.freq > 0) {
        const f = document.createElement('span');
        f.className = 'tg-s-freq';
        f.textContent = s.freq.toLocaleString();
        f.setAttribute('aria-hidden', 'true');
        li.appendChild(f);
      }
      frag.appendChild(li);
    });
    listbox.replaceChildren(frag);
    listbox.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  }

  function closeSuggest() {
    clearTimeout(suggestTimer);
    if (suggestCtl) { suggestCtl.abort(); suggestCtl = null; }
    if (!listbox) return;
    options = [];
    active = -1;
    listbox.hidden = true;
    listbox.replaceChildren();
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
  }

  function setActive(i) {
    const items = listbox.querySelectorAll('[role="option"]');
    if (!items.length) return;
    active = (i + items.length) % items.length;
    items.forEach((li, k) => li.setAttribute('aria-selected', k === active ? 'true' : 'false'));
    input.setAttribute('aria-activedescendant', items[active].id);
    items[active].scrollIntoView({ block: 'nearest' });
  }

  function accept(i) {
    const s = options[i];
    if (!s) return;
    input.value = completeWith(suggestFor, s.text);
    closeSuggest();
    clearTimeout(typeTimer);
    runSearch(currentParams(), 'push');
  }

  if (listbox) {
    input.addEventListener('keydown', (e) => {
      const open = !listbox.hidden && options.length > 0;
      switch (e.key) {
        case 'ArrowDown':
          e.preventDefault();
          if (open) setActive(active + 1);
          else if (e.altKey || input.value) fetchSuggest();
          break;
        case 'ArrowUp':
          if (!open) return;
          e.preventDefault();
          setActive(active < 0 ? options.length - 1 : active - 1);
          break;
        case 'Enter':
          if (open && active >= 0) { e.preventDefault(); accept(active); }
          else closeSuggest();
          break;
        case 'Escape':
          if (open) { e.preventDefault(); closeSuggest(); }
          break;
        case 'Tab':
          closeSuggest();
          break;
        default:
      }
    });
    // mousedown, not click: the input must keep focus (and not blur-close first).
    listbox.addEventListener('mousedown', (e) => {
      const li = e.target instanceof Element ? e.target.closest('[role="option"]') : null;
      if (!li) return;
      e.preventDefault();
      accept(Number(li.id.replace('tg-suggest-', '')));
    });
    listbox.addEventListener('mousemove', (e) => {
      const li = e.target instanceof Element ? e.target.closest('[role="option"]') : null;
      if (li) {
        const i = Number(li.id.replace('tg-suggest-', ''));
        if (i !== active) setActive(i);
      }
    });
    input.addEventListener('blur', () => setTimeout(() => {
      if (document.activeElement !== input) closeSuggest();
    }, 100));
  }
})();
