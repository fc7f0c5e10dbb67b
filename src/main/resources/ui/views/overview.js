// Overview: requests, tokens and cost per day for each model, error and cache hit rates, from GET /api/report
// (by=model for the totals, by=day&model=M for each model's days). Charts are drawn by uPlot.
import uPlot from 'uplot';
import { getJson, query } from '../api.js';
import { h, num, usd, pct } from '../format.js';

// the report counts input_tokens UNCACHED (docs/report.md): the whole prompt adds cache reads and writes
const prompt = (g) => g.input_tokens + g.cache_read_input_tokens + g.cache_creation_5m_input_tokens
  + g.cache_creation_1h_input_tokens;
const COLORS = ['#2f6fde', '#d0641c', '#2e8b57', '#9a3fb8', '#c8372d', '#1a9aa0', '#8a6d00', '#555'];

export async function render(root, _arg, params, stale) {
  const since = params.get('since') || '30d';
  const byModel = await getJson('/api/report' + query({ by: 'model', since }));
  const models = byModel.groups.map((g) => g.group);
  const days = await Promise.all(models.map((m) => getJson('/api/report' + query({ by: 'day', model: m, since }))));
  if (stale()) return;
  const t = byModel.total;
  const sinceSelect = h('select', { id: 'overview-since', onchange: (e) => {
    location.hash = '#/overview?since=' + e.target.value; } },
  ['1d', '7d', '30d', '365d'].map((s) => h('option', { value: s, selected: s === since }, 'last ' + s)));
  const charts = h('div', { id: 'charts' });
  root.replaceChildren(h('section', {},
    h('h1', {}, 'Overview ', sinceSelect),
    h('div', { class: 'cards', id: 'totals' },
      card('requests', num(t?.calls ?? 0)), card('errors', num(t?.errors ?? 0)),
      card('error rate', t && t.calls ? pct(t.errors / t.calls) : '–'),
      card('tokens in / out', num(t ? prompt(t) : 0) + ' / ' + num(t?.output_tokens ?? 0)),
      card('cache hit rate', pct(t?.cache_hit_rate)), card('cost', usd(t?.cost_usd)),
      card('rollouts', num(t?.rollouts ?? 0))),
    h('table', { id: 'models-table' },
      h('thead', {}, h('tr', {}, ['model', 'requests', 'errors', 'error rate', 'tokens in (with cached) / out', 'cache hit rate',
        'cost'].map((c) => h('th', {}, c)))),
      h('tbody', {}, byModel.groups.map((g) => h('tr', { 'data-model': g.group },
        h('td', {}, g.group), h('td', { class: 'n' }, num(g.calls)), h('td', { class: 'n' }, num(g.errors)),
        h('td', { class: 'n' }, g.calls ? pct(g.errors / g.calls) : '–'),
        h('td', { class: 'n' }, num(prompt(g)) + ' / ' + num(g.output_tokens)),
        h('td', { class: 'n' }, pct(g.cache_hit_rate)), h('td', { class: 'n' }, usd(g.cost_usd)))))),
    h('h2', {}, 'per day and model'), charts));
  if (!models.length) {
    charts.append(h('p', { class: 'empty' }, 'no calls in this period'));
    return null;
  }
  // one x axis: every day any model had calls
  const allDays = [...new Set(days.flatMap((r) => r.groups.map((g) => g.group)))].sort();
  const xs = allDays.map((d) => Date.parse(d + 'T00:00:00Z') / 1000);
  const series = (field) => days.map((r) => {
    const byDay = new Map(r.groups.map((g) => [g.group, g]));
    return allDays.map((d) => (byDay.has(d) ? field(byDay.get(d)) : null));
  });
  const plots = [
    chart('requests', xs, models, series((g) => g.calls)),
    chart('tokens (in + out)', xs, models, series((g) => prompt(g) + g.output_tokens)),
    chart('cost (USD)', xs, models, series((g) => g.cost_usd)),
    chart('error rate', xs, models, series((g) => (g.calls ? g.errors / g.calls : null))),
    chart('cache hit rate', xs, models, series((g) => g.cache_hit_rate)),
  ];
  plots.forEach((p) => charts.append(p.box));
  return () => plots.forEach((p) => p.plot.destroy());
}

function card(k, v) {
  return h('div', { class: 'card' }, h('div', { class: 'k' }, k), h('div', { class: 'v' }, v));
}

function chart(title, xs, models, ys) {
  const box = h('div', { class: 'chart', 'data-chart': title });
  const plot = new uPlot({
    title, width: 620, height: 220,
    scales: { x: { time: true } },
    series: [{}, ...models.map((m, i) => ({
      label: m, stroke: COLORS[i % COLORS.length], width: 2, points: { show: true, size: 6 } }))],
  }, [xs, ...ys], box);
  return { box, plot };
}
