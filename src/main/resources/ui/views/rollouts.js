// Rollouts: newest activity first, filtered and paginated by the gateway (GET /api/rollout-table), re-read when
// GET /api/events says new spans were stored.
import { getJson, query, watchSpans } from '../api.js';
import { h, num, usd, pct, ms, time, reward, encodeId } from '../format.js';

const FILTERS = ['q', 'tag', 'model', 'status', 'since', 'until'];
const PAGE = 50;

export async function render(root, _arg, params, stale) {
  const state = Object.fromEntries(FILTERS.map((f) => [f, params.get(f) || '']));
  const offset = Number(params.get('offset') || 0);
  const form = filterForm(state);
  const body = h('tbody');
  const info = h('span', { class: 'page-info' });
  const prev = h('button', { type: 'button', id: 'page-prev' }, '← newer');
  const next = h('button', { type: 'button', id: 'page-next' }, 'older →');
  const live = h('span', { class: 'live', id: 'live-state' }, 'live');
  const table = h('table', { class: 'rollouts', id: 'rollouts-table' },
    h('thead', {}, h('tr', {},
      ['rollout', 'attempts', 'calls', 'tokens (in / out)', 'cache hit', 'cost', 'reward', 'duration', 'status',
        'last active'].map((c) => h('th', {}, c)))),
    body);
  root.replaceChildren(h('section', {}, h('h1', {}, 'Rollouts ', live), form,
    h('div', { class: 'pager' }, prev, info, next), table));

  const go = (changes) => {
    const p = new URLSearchParams();
    for (const f of FILTERS) if (state[f]) p.set(f, state[f]);
    const o = changes.offset ?? 0;
    if (o > 0) p.set('offset', o);
    location.hash = '#/rollouts' + (p.toString() ? '?' + p : '');
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    for (const f of FILTERS) state[f] = form.elements[f].value.trim();
    go({ offset: 0 });
  });

  let page = null;
  const load = async () => {
    const t0 = performance.now();
    const api = { ...state, offset, limit: PAGE };
    page = await getJson('/api/rollout-table' + query(api));
    if (stale()) return;
    body.replaceChildren(...(page.rollouts.length ? page.rollouts.map(row)
      : [h('tr', {}, h('td', { colspan: 10, class: 'empty' }, 'no rollouts match'))]));
    const last = offset + page.rollouts.length;
    info.textContent = page.total === 0 ? '0 rollouts' : `${offset + 1}–${last} of ${num(page.total)}`;
    prev.disabled = offset === 0;
    next.disabled = page.next_offset === null;
    performance.mark('rollouts-rendered');
    document.body.dataset.rolloutsRendered = String(Number(document.body.dataset.rolloutsRendered || 0) + 1);
    document.body.dataset.rolloutsLoadMs = String(Math.round(performance.now() - t0));
  };
  prev.addEventListener('click', () => go({ offset: Math.max(0, offset - PAGE) }));
  next.addEventListener('click', () => page && page.next_offset !== null && go({ offset: page.next_offset }));
  await load();

  // live: the first page follows new spans; later pages stay put (their rows would shift under the reader)
  // (the stream's first event gives the count the page was just read at; only a change re-reads it)
  let pending = false;
  let seen = null;
  const stop = offset === 0 ? watchSpans(async (persisted) => {
    const first = seen === null;
    if (first || persisted === seen) { seen = persisted; return; }
    seen = persisted;
    if (pending) return;
    pending = true;
    try { await load(); } catch (e) { live.textContent = 'live (error: ' + e.message + ')'; }
    pending = false;
  }) : null;
  if (!stop) live.textContent = 'paused on this page';
  return () => stop && stop();
}

function filterForm(state) {
  const input = (name, placeholder, title) => h('input', { name, value: state[name], placeholder, title });
  const status = h('select', { name: 'status' },
    ['', 'ok', 'error'].map((s) => h('option', { value: s, selected: state.status === s }, s || 'any status')));
  return h('form', { class: 'filters', id: 'rollout-filters' },
    input('q', 'rollout id contains'),
    input('tag', 'tag KEY=VALUE'),
    input('model', 'model'),
    status,
    input('since', 'since (15m, 2h, 7d, ISO time)', 'last active at or after'),
    input('until', 'until (ISO time)', 'last active before'),
    h('button', { type: 'submit' }, 'filter'));
}

function row(r) {
  const tokens = num(r.input_tokens) + ' / ' + num(r.output_tokens);
  return h('tr', { class: 'rollout-row', 'data-rollout': r.rollout_id },
    h('td', {}, h('a', { href: '#/rollout/' + encodeId(r.rollout_id), class: 'rollout-link' }, r.rollout_id),
      r.models.length ? h('div', { class: 'sub' }, r.models.join(', ')) : null),
    h('td', { class: 'n' }, num(r.attempts)),
    h('td', { class: 'n' }, num(r.calls)),
    h('td', { class: 'n' }, tokens),
    h('td', { class: 'n' }, pct(r.cache_hit_rate)),
    h('td', { class: 'n' }, usd(r.cost_usd)),
    h('td', { class: 'n reward' }, reward(r.reward)),
    h('td', { class: 'n' }, ms(r.duration_ms)),
    h('td', {}, h('span', { class: 'status ' + r.status }, r.status)),
    h('td', { class: 'sub' }, time(r.last_activity_unix_nano)));
}
