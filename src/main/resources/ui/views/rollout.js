// Rollout: its calls and rewards in sequence order on one time axis, each reward shown on the call(s) the chosen
// reward mode gives it to (the same placement as dataset export: GET /api/triplets), per-turn tokens and cost.
import { getJson, getJsonLines, allSpans, query } from '../api.js';
import { h, num, usd, ms, reward, time, encodeId } from '../format.js';

const MODES = ['matched', 'last', 'broadcast', 'discounted:0.9'];
const REWARD_VALUE = 'tracegate.reward.value';
const REWARD_NAME = 'tracegate.reward.name';
const REWARD_TARGET = 'tracegate.reward.span_id';

export async function render(root, rolloutId, params, stale) {
  const mode = MODES.includes(params.get('mode')) ? params.get('mode') : (params.get('mode') || 'matched');
  const attempt = params.get('attempt') || '';
  const [summary, spans, triplets] = await Promise.all([
    getJson('/api/rollouts/' + encodeId(rolloutId)),
    allSpans({ rollout_id: rolloutId, attempt_id: attempt }),
    getJsonLines('/api/triplets' + query({ rollout_id: rolloutId, attempt: attempt || 'all', reward_mode: mode })),
  ]);
  if (stale()) return;
  spans.sort((a, b) => (a.sequence_id ?? Infinity) - (b.sequence_id ?? Infinity)
    || a.start_time_unix_nano - b.start_time_unix_nano);
  const placement = place(spans, triplets, mode);

  const go = (changes) => {
    const p = new URLSearchParams({ mode, attempt, ...changes });
    for (const [k, v] of [...p]) if (!v || (k === 'mode' && v === 'matched')) p.delete(k);
    location.hash = '#/rollout/' + encodeId(rolloutId) + (p.toString() ? '?' + p : '');
  };
  const modeSelect = h('select', { id: 'reward-mode', onchange: (e) => go({ mode: e.target.value }) },
    [...new Set([...MODES, mode])].map((m) => h('option', { value: m, selected: m === mode }, m)));
  const attemptSelect = h('select', { id: 'attempt', onchange: (e) => go({ attempt: e.target.value }) },
    h('option', { value: '' }, 'all attempts'),
    summary.attempts.map((a) => h('option', { value: a, selected: a === attempt }, 'attempt ' + a)));

  const calls = spans.filter((s) => s.kind === 'llm');
  const totals = calls.reduce((t, s) => ({
    input: t.input + (s.usage?.input_tokens || 0), output: t.output + (s.usage?.output_tokens || 0),
    cost: s.cost_usd == null ? t.cost : (t.cost || 0) + s.cost_usd }), { input: 0, output: 0, cost: null });
  root.replaceChildren(h('section', {},
    h('h1', {}, 'Rollout ', h('span', { class: 'mono', id: 'rollout-id' }, rolloutId)),
    h('div', { class: 'cards' },
      card('attempts', summary.attempts.join(', ') || '–'), card('calls', num(calls.length)),
      card('rewards', num(spans.length - calls.length)),
      card('tokens in / out', num(totals.input) + ' / ' + num(totals.output)), card('cost', usd(totals.cost)),
      card('started', time(summary.first_start_time_unix_nano))),
    h('div', { class: 'filters' }, h('label', {}, 'reward mode ', modeSelect), ' ', attemptSelect,
      h('span', { class: 'hint' }, ' rewards are placed as dataset export places them (GET /api/triplets)')),
    timeline(spans, placement)));
}

function card(k, v) {
  return h('div', { class: 'card' }, h('div', { class: 'k' }, k), h('div', { class: 'v' }, v));
}

/**
 * Which calls each reward span lands on, from the triplets (span_id -> {name: value}) the gateway computed for the
 * mode: a targeted reward goes to its call; in "matched" each reward goes to the call holding its value under its
 * name (first unclaimed in sequence order); in the other modes only the last reward of a name is placed, on every
 * call that received that name.
 */
function place(spans, triplets, mode) {
  const bySpan = new Map(triplets.map((t) => [t.span_id, t.rewards || {}]));
  const seqOf = new Map(spans.map((s) => [s.span_id, s.sequence_id]));
  const rewards = spans.filter((s) => s.kind === 'reward');
  const lastOfName = new Map();
  for (const r of rewards) lastOfName.set(name(r), r.span_id);
  const claimed = new Set();
  const targets = new Map();
  for (const r of rewards) {
    const n = name(r);
    const v = r.attributes?.[REWARD_VALUE];
    const target = r.attributes?.[REWARD_TARGET];
    let to = [];
    if (target && bySpan.has(target)) {
      to = [target];
    } else if (mode === 'matched') {
      const hit = [...bySpan.entries()].find(([id, rw]) => rw[n] === v && !claimed.has(id + '\u0000' + n)
        && (seqOf.get(id) ?? -Infinity) < (r.sequence_id ?? Infinity));
      if (hit) to = [hit[0]];
    } else if (lastOfName.get(n) === r.span_id) {
      to = [...bySpan.entries()].filter(([, rw]) => n in rw).map(([id]) => id);
    }
    to.forEach((id) => claimed.add(id + '\u0000' + n));
    targets.set(r.span_id, to);
  }
  return { bySpan, targets, seqOf };
}

function name(r) {
  return r.attributes?.[REWARD_NAME] || 'reward';
}

function timeline(spans, placement) {
  if (!spans.length) return h('p', { class: 'empty' }, 'no spans yet');
  const t0 = Math.min(...spans.map((s) => s.start_time_unix_nano));
  const t1 = Math.max(...spans.map((s) => Math.max(s.end_time_unix_nano, s.start_time_unix_nano)));
  const total = Math.max(1, t1 - t0);
  const at = (t) => ((t - t0) / total) * 100 + '%';
  const rows = spans.map((s) => (s.kind === 'llm' ? callRow(s, placement, at, total)
    : rewardRow(s, placement, at)));
  return h('table', { class: 'timeline', id: 'timeline' },
    h('thead', {}, h('tr', {}, ['seq', 'attempt', 'span', 'time (bar: duration, | first token)', 'duration',
      'tries', 'tokens in / out', 'cost', 'reward', 'status'].map((c) => h('th', {}, c)))),
    h('tbody', {}, rows));
}

function callRow(s, placement, at, total) {
  const dur = (s.end_time_unix_nano - s.start_time_unix_nano) / 1e6;
  const ttft = s.first_token_time_unix_nano ? (s.first_token_time_unix_nano - s.start_time_unix_nano) / 1e6 : null;
  const width = Math.max(0.3, ((s.end_time_unix_nano - s.start_time_unix_nano) / total) * 100) + '%';
  const track = h('div', { class: 'track' },
    h('div', { class: 'span ' + s.status, style: { left: at(s.start_time_unix_nano), width } }),
    ttft !== null ? h('div', { class: 'ttft', title: 'first token', style: { left: at(s.first_token_time_unix_nano) } })
      : null);
  const got = placement.bySpan.get(s.span_id);
  const rewardText = got && Object.keys(got).length
    ? Object.entries(got).map(([k, v]) => (k === 'reward' ? '' : k + ' ') + reward(v)).join(', ') : '–';
  const tries = s.attempts || [];
  return h('tr', { class: 'call-row', 'data-span': s.span_id, 'data-seq': s.sequence_id ?? '' },
    h('td', { class: 'n' }, '#' + (s.sequence_id ?? '–')),
    h('td', {}, s.attempt_id ?? '–'),
    h('td', {}, h('a', { href: '#/call/' + s.span_id, class: 'call-link' }, s.name),
      h('div', { class: 'sub' }, [s.backend, s.backend_model].filter(Boolean).join(' · '))),
    h('td', { class: 'bar' }, track),
    h('td', { class: 'n' }, ms(dur), ttft !== null ? h('div', { class: 'sub' }, 'ttft ' + ms(ttft)) : null),
    h('td', { class: 'n', title: tries.map((t) => t.backend + ': ' + (t.error || t.status)).join('\n') },
      tries.length > 1 ? tries.length + ' (' + (tries.length - 1) + ' retried)' : String(tries.length)),
    h('td', { class: 'n' }, num(s.usage?.input_tokens) + ' / ' + num(s.usage?.output_tokens)),
    h('td', { class: 'n' }, usd(s.cost_usd)),
    h('td', { class: 'n reward' }, rewardText),
    h('td', {}, h('span', { class: 'status ' + s.status }, s.status)));
}

function rewardRow(s, placement, at) {
  const to = placement.targets.get(s.span_id) || [];
  const label = to.length
    ? '→ ' + to.map((id) => 'call #' + (placement.seqOf.get(id) ?? '?')).join(', ')
    : 'not placed in this mode';
  const v = s.attributes?.[REWARD_VALUE];
  return h('tr', { class: 'reward-row', 'data-span': s.span_id, 'data-seq': s.sequence_id ?? '' },
    h('td', { class: 'n' }, '#' + (s.sequence_id ?? '–')),
    h('td', {}, s.attempt_id ?? '–'),
    h('td', {}, name(s) + ' = ' + reward(v)),
    h('td', { class: 'bar' }, h('div', { class: 'track' },
      h('div', { class: 'tick', style: { left: at(s.start_time_unix_nano) } }))),
    h('td', { colspan: 4, class: 'matched' }, label),
    h('td', { class: 'n reward' }, reward(v)),
    h('td', {}, ''));
}
