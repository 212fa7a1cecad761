// bouncewatch dashboard. Reads /api/stats, /api/results, /api/suppressions and /healthz every few
// seconds and draws them. Everything from the API is inserted as text (textContent, text nodes,
// attribute values), never as markup: reply texts are written by remote servers.
'use strict';

(function () {
  const TOKEN_KEY = 'bouncewatch.token';
  const WINDOW_KEY = 'bouncewatch.window';
  const WINDOWS = ['1h', '24h', '7d'];
  const REFRESH_MS = 5000;
  const LATEST_LIMIT = 15;
  const SUPPRESSION_LIMIT = 50;
  const SVG = 'http://www.w3.org/2000/svg';

  let windowName = WINDOWS.includes(sessionStorage.getItem(WINDOW_KEY)) ? sessionStorage.getItem(WINDOW_KEY) : '1h';
  let timer = null;
  let searchTimer = null;
  let resizeTimer = null;
  let lastStats = null;

  class AuthError extends Error {}

  // ---- token ---------------------------------------------------------------------------------

  /** Moves #token=... into sessionStorage and out of the address bar (and so out of history). */
  function takeTokenFromFragment() {
    const m = /(?:^#|&)token=([^&]*)/.exec(location.hash);
    if (!m) {
      return;
    }
    try {
      sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]));
    } catch (e) {
      sessionStorage.setItem(TOKEN_KEY, m[1]);
    }
    history.replaceState(null, '', location.pathname + location.search);
  }

  async function api(path, accept) {
    const headers = { Accept: accept || 'application/json' };
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) {
      headers.Authorization = 'Bearer ' + token;
    }
    const response = await fetch(path, { headers: headers, cache: 'no-store', credentials: 'omit' });
    if (response.status === 401) {
      throw new AuthError('token needed');
    }
    if (!response.ok) {
      let message = response.statusText;
      try {
        message = (await response.json()).error || message;
      } catch (e) {
        // not JSON: keep the status text
      }
      throw new Error(path.split('?')[0] + ': ' + response.status + ' ' + message);
    }
    return response;
  }

  async function json(path) {
    return (await api(path)).json();
  }

  // ---- DOM helpers: text only ----------------------------------------------------------------

  /** An element with attributes and children; strings become text nodes. */
  function el(tag, attrs, children) {
    const e = document.createElement(tag);
    setAttrs(e, attrs);
    for (const c of children || []) {
      e.append(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return e;
  }

  function svg(tag, attrs, text) {
    const e = document.createElementNS(SVG, tag);
    setAttrs(e, attrs);
    if (text !== undefined) {
      e.textContent = text;
    }
    return e;
  }

  function setAttrs(e, attrs) {
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== null && v !== undefined) {
        e.setAttribute(k, String(v));
      }
    }
  }

  function byId(id) {
    return document.getElementById(id);
  }

  function fill(tbodyOrList, nodes) {
    tbodyOrList.replaceChildren(...nodes);
  }

  function number(n) {
    return Number(n).toLocaleString('en-US');
  }

  function percent(rate) {
    const p = rate * 100;
    return (p >= 10 || p === 0 ? p.toFixed(0) : p.toFixed(1)) + '%';
  }

  function pad(n) {
    return String(n).padStart(2, '0');
  }

  function clock(iso, withDate) {
    const d = new Date(iso);
    if (isNaN(d.getTime())) {
      return '';
    }
    const time = pad(d.getHours()) + ':' + pad(d.getMinutes());
    return withDate ? pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + time : time;
  }

  function shorten(text, max) {
    if (!text) {
      return '';
    }
    return text.length <= max ? text : text.slice(0, max - 1) + '…';
  }

  // ---- rendering -----------------------------------------------------------------------------

  function renderCounts(stats) {
    for (const status of ['delivered', 'deferred', 'bounced', 'expired']) {
      const n = stats.byStatus[status] || 0;
      const e = byId('count-' + status);
      e.textContent = number(n);
      e.dataset.count = String(n);
    }
    const total = byId('count-total');
    total.textContent = number(stats.total);
    total.dataset.count = String(stats.total);
    const rate = byId('bounce-rate');
    rate.textContent = stats.total ? percent(stats.bounceRate) : '–';
    rate.dataset.rate = String(stats.bounceRate);
  }

  /**
   * Bars for the number of results per bucket (the bounced part in red), a line for the bounce rate.
   * The drawing uses the chart's real width as its coordinate system, so text is never stretched.
   */
  function renderChart(stats) {
    lastStats = stats;
    const chart = byId('rate-chart');
    const W = Math.max(240, Math.round(chart.getBoundingClientRect().width) || 640);
    const H = 200, left = 44, right = 10, top = 10, bottom = 22;
    chart.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
    const plotW = W - left - right, plotH = H - top - bottom;
    const buckets = stats.timeline || [];
    const nodes = [];
    const maxRate = Math.max(0.05, ...buckets.map(b => b.bounceRate));
    const rateTop = Math.ceil(maxRate * 20) / 20; // next 5 %
    const maxTotal = Math.max(1, ...buckets.map(b => b.total));
    for (const f of [0, 0.5, 1]) {
      const y = top + plotH * (1 - f);
      nodes.push(svg('line', { class: 'grid', x1: left, x2: W - right, y1: y, y2: y }));
      nodes.push(svg('text', { class: 'axis', x: left - 6, y: y + 4, 'text-anchor': 'end' }, percent(rateTop * f)));
    }
    const n = buckets.length;
    const step = n ? plotW / n : plotW;
    const multiDay = stats.windowSeconds > 86400;
    const points = [];
    buckets.forEach((b, i) => {
      const x = left + i * step;
      const h = plotH * b.total / maxTotal;
      const hb = plotH * b.bounced / maxTotal;
      const width = Math.max(1, step * 0.8);
      const bar = svg('g', { 'data-start': b.start, 'data-total': b.total, 'data-bounced': b.bounced });
      bar.append(svg('title', {}, clock(b.start, multiDay) + ': ' + number(b.bounced) + ' of ' + number(b.total)
        + ' bounced (' + percent(b.bounceRate) + ')'));
      bar.append(svg('rect', { class: 'bar', x: x + step * 0.1, y: top + plotH - h, width: width, height: h }));
      if (hb > 0) {
        bar.append(svg('rect', { class: 'bar-bounced', x: x + step * 0.1, y: top + plotH - hb, width: width, height: hb }));
      }
      nodes.push(bar);
      if (b.total > 0) {
        points.push([x + step / 2, top + plotH * (1 - b.bounceRate / rateTop)]);
      }
    });
    if (points.length) {
      nodes.push(svg('polyline', { class: 'rate-line', id: 'rate-line',
        points: points.map(p => p[0].toFixed(1) + ',' + p[1].toFixed(1)).join(' ') }));
      for (const p of points) {
        nodes.push(svg('circle', { class: 'rate-point', cx: p[0].toFixed(1), cy: p[1].toFixed(1), r: 2.5 }));
      }
    }
    if (n) {
      for (const i of [0, Math.floor(n / 2), n - 1]) {
        const anchor = i === 0 ? 'start' : i === n - 1 ? 'end' : 'middle';
        const x = i === 0 ? left : i === n - 1 ? left + plotW : left + i * step + step / 2;
        nodes.push(svg('text', { class: 'axis', x: x, y: H - 6, 'text-anchor': anchor }, clock(buckets[i].start, multiDay)));
      }
    }
    chart.replaceChildren(...nodes);
    chart.dataset.buckets = String(n);
    chart.dataset.points = String(points.length);
  }

  function renderReasons(stats) {
    const reasons = stats.topReasons || [];
    fill(byId('reasons'), reasons.map(r => el('li', { 'data-category': r.category, 'data-count': r.count }, [
      el('div', { class: 'reason-head' }, [
        el('span', { class: 'category' }, [r.category]),
        r.dsn ? el('span', { class: 'badge mono' }, [r.dsn]) : '',
        el('span', { class: 'badge' }, [r.action || '']),
        el('span', { class: 'reason-count' }, [number(r.count)])
      ]),
      el('p', { class: 'advice' }, [r.advice || '']),
      r.sample ? el('p', { class: 'sample mono', title: r.sample }, [shorten(r.sample, 240)]) : ''
    ])));
    byId('reasons-empty').hidden = reasons.length > 0;
  }

  function renderDomains(stats) {
    const rows = (stats.byDomain || []).map(d => el('tr', { 'data-domain': d.domain }, [
      el('td', { class: 'address' }, [d.domain || '(none)']),
      el('td', { class: 'num' }, [number(d.total)]),
      el('td', { class: 'num' }, [number(d.bounced)]),
      el('td', { class: 'num' }, [number(d.deferred)]),
      el('td', { class: 'num' }, [percent(d.bounceRate)])
    ]));
    fill(byId('domains').tBodies[0], rows);
  }

  function renderLatest(page) {
    const rows = page.items.map(r => el('tr', { 'data-id': r.id, 'data-status': r.status, 'data-recipient': r.recipient || '' }, [
      el('td', { title: r.time || '' }, [clock(r.time, true)]),
      el('td', { class: 'address' }, [r.recipient || '']),
      el('td', { class: 'status' }, [r.status]),
      el('td', { title: r.advice || '' }, [r.category]),
      el('td', { class: 'mono' }, [[r.replyCode, r.dsn].filter(Boolean).join(' ')]),
      el('td', { class: 'reply', title: r.diagnostic || '' }, [shorten(r.diagnostic, 200)])
    ]));
    fill(byId('latest').tBodies[0], rows);
  }

  function renderSuppressions(list) {
    const count = byId('suppression-count');
    count.textContent = '(' + number(list.total) + ')';
    count.dataset.total = String(list.total);
    const rows = list.items.map(s => el('tr', { 'data-address': s.address, 'data-origin': s.origin }, [
      el('td', { class: 'address' }, [s.address]),
      el('td', { title: s.createdAt }, [clock(s.createdAt, true)]),
      el('td', {}, [s.origin]),
      el('td', { class: 'reply', title: s.diagnostic || '' }, [shorten(s.reason, 200)])
    ]));
    fill(byId('suppressions').tBodies[0], rows);
  }

  function renderSources(health) {
    const items = (health.sources || []).map(s => el('li', { 'data-source': s.id, 'data-state': s.state }, [
      el('span', { class: 'mono' }, [s.id]), ' ',
      el('span', { class: 'state' }, [s.state]),
      s.lagBytes ? ' · ' + number(s.lagBytes) + ' bytes behind' : '',
      s.lastError ? ' · ' + shorten(s.lastError, 120) : ''
    ]));
    if (!items.length) {
      items.push(el('li', { 'data-state': 'none' }, ['no sources']));
    }
    fill(byId('sources'), items);
  }

  function setBanner(message) {
    const banner = byId('banner');
    banner.textContent = message || '';
    banner.hidden = !message;
  }

  // ---- refresh loop --------------------------------------------------------------------------

  function suppressionQuery() {
    const q = byId('suppression-search').value.trim();
    return '/api/suppressions?limit=' + SUPPRESSION_LIMIT + (q ? '&q=' + encodeURIComponent(q) : '');
  }

  async function refreshSuppressions() {
    renderSuppressions(await json(suppressionQuery()));
  }

  async function refresh() {
    clearTimeout(timer);
    try {
      const [stats, latest, suppressions] = await Promise.all([
        json('/api/stats?window=' + windowName + '&domains=10'),
        json('/api/results?status=bounced,expired&limit=' + LATEST_LIMIT),
        json(suppressionQuery())
      ]);
      renderCounts(stats);
      renderChart(stats);
      renderReasons(stats);
      renderDomains(stats);
      renderLatest(latest);
      renderSuppressions(suppressions);
      byId('token-form').hidden = true;
      setBanner(null);
      byId('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
      document.body.dataset.state = 'ready';
    } catch (e) {
      if (e instanceof AuthError) {
        document.body.dataset.state = 'auth';
        byId('token-form').hidden = false;
        setBanner(sessionStorage.getItem(TOKEN_KEY) ? 'The token was refused.' : null);
        return; // no polling until a token is given
      }
      document.body.dataset.state = 'error';
      setBanner('Could not load: ' + e.message);
    }
    try {
      renderSources(await (await fetch('/healthz', { cache: 'no-store', credentials: 'omit' })).json());
    } catch (e) {
      // the API calls above already report an unreachable agent
    }
    timer = setTimeout(refresh, REFRESH_MS);
  }

  function selectWindow(name) {
    windowName = name;
    sessionStorage.setItem(WINDOW_KEY, name);
    for (const b of byId('windows').querySelectorAll('button')) {
      b.setAttribute('aria-pressed', String(b.dataset.window === name));
    }
  }

  async function exportCsv() {
    try {
      const blob = await (await api('/api/suppressions?format=csv', 'text/csv')).blob();
      const url = URL.createObjectURL(blob);
      const a = el('a', { href: url, download: 'suppressions.csv' }, []);
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (e) {
      setBanner('Export failed: ' + e.message);
    }
  }

  function start() {
    takeTokenFromFragment();
    selectWindow(windowName);
    byId('windows').addEventListener('click', e => {
      const b = e.target.closest('button[data-window]');
      if (b) {
        selectWindow(b.dataset.window);
        refresh();
      }
    });
    byId('suppression-search').addEventListener('input', () => {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(() => refreshSuppressions().catch(e => setBanner('Could not search: ' + e.message)), 300);
    });
    byId('suppression-export').addEventListener('click', exportCsv);
    byId('token-form').addEventListener('submit', e => {
      e.preventDefault();
      const value = byId('token-input').value.trim();
      if (value) {
        sessionStorage.setItem(TOKEN_KEY, value);
        byId('token-input').value = '';
        refresh();
      }
    });
    window.addEventListener('hashchange', () => {
      takeTokenFromFragment();
      refresh();
    });
    window.addEventListener('resize', () => {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(() => lastStats && renderChart(lastStats), 150);
    });
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden) {
        refresh();
      }
    });
    refresh();
  }

  start();
})();
