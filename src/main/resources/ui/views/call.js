// Call: one LLM span. The conversation as chat (the client's request and, when translated or rewritten, what the
// backend was sent, side by side), usage and cost, the token ids with their logprobs, the raw span, and the
// request as a curl command.
import { getJson } from '../api.js';
import { h, num, usd, ms, time, encodeId } from '../format.js';
import { conversation, answer } from './chat.js';

const TOKEN_LIMIT = 4000;

export async function render(root, spanId, params, stale) {
  const span = await getJson('/api/spans/' + encodeURIComponent(spanId));
  if (stale()) return;
  const tab = params.get('tab') || 'chat';
  const tabs = [['chat', 'Conversation'], ['tokens', 'Tokens'], ['raw', 'Raw JSON'], ['curl', 'Copy as curl']];
  const go = (t) => { location.hash = '#/call/' + spanId + (t === 'chat' ? '' : '?tab=' + t); };
  const body = { chat: chatTab, tokens: tokensTab, raw: rawTab, curl: curlTab }[tab] || chatTab;
  const u = span.usage || {};
  const dur = (span.end_time_unix_nano - span.start_time_unix_nano) / 1e6;
  root.replaceChildren(h('section', {},
    h('h1', {}, span.name || span.kind, ' ', h('span', { class: 'status ' + span.status }, span.status)),
    h('p', { class: 'sub' },
      span.rollout_id ? h('a', { href: '#/rollout/' + encodeId(span.rollout_id) }, 'rollout ' + span.rollout_id) : 'no rollout',
      span.sequence_id != null ? ' · #' + span.sequence_id : '', span.attempt_id ? ' · attempt ' + span.attempt_id : '',
      ' · ', time(span.start_time_unix_nano), ' · ', span.frontend_protocol || '', ' → ',
      [span.provider, span.backend, span.backend_model].filter(Boolean).join(' · '),
      span.status_message ? h('div', { class: 'error' }, span.status_message) : null),
    h('div', { class: 'cards', id: 'usage' },
      card('input tokens', num(u.input_tokens)), card('cached', num(u.cache_read_input_tokens)),
      card('cache write', num(u.cache_creation_input_tokens)), card('output tokens', num(u.output_tokens)),
      card('reasoning', num(u.reasoning_tokens)), card('cost', usd(span.cost_usd)), card('duration', ms(dur)),
      card('first token', span.first_token_time_unix_nano
        ? ms((span.first_token_time_unix_nano - span.start_time_unix_nano) / 1e6) : '–'),
      card('tries', String((span.attempts || []).length))),
    h('div', { class: 'tabs' }, tabs.map(([id, label]) => h('button', {
      type: 'button', 'data-tab': id, class: id === tab ? 'active' : '', onclick: () => go(id) }, label))),
    h('div', { id: 'tab-body' }, body(span))));
}

function card(k, v) {
  return h('div', { class: 'card' }, h('div', { class: 'k' }, k), h('div', { class: 'v' }, v));
}

function chatTab(span) {
  const client = h('div', { class: 'side-col', id: 'client-side' },
    h('h2', {}, 'client request (' + (span.frontend_protocol || '?') + ')'),
    conversation(span.request, span.frontend_protocol),
    h('h2', {}, 'response'), answer(span.response, span.frontend_protocol));
  if (!span.upstream_request) return h('div', { class: 'side one' }, client);
  const upstreamProtocol = span.provider === 'anthropic' ? 'anthropic' : 'openai';
  const upstream = h('div', { class: 'side-col', id: 'upstream-side' },
    h('h2', {}, 'upstream request (' + upstreamProtocol + ', ' + (span.backend_model || span.backend || '') + ')'),
    conversation(span.upstream_request, upstreamProtocol));
  return h('div', { class: 'side' }, client, upstream);
}

/** Token ids as sent by the backend (its tokenizer is unknown here, so ids are shown, not text), logprob as colour. */
function tokensTab(span) {
  const ids = span.response_token_ids || [];
  const lps = span.response_logprobs || [];
  const prompt = span.prompt_token_ids || [];
  if (!ids.length && !prompt.length) return h('p', { class: 'empty' }, 'the backend returned no token ids for this call');
  const chips = ids.slice(0, TOKEN_LIMIT).map((id, i) => {
    const lp = lps[i];
    const p = lp == null ? null : Math.exp(lp);
    const bg = p == null ? '#eee' : `hsl(${Math.round(120 * p)}, 70%, 82%)`;
    return h('span', { class: 'tok', style: { background: bg },
      title: 'id ' + id + (lp == null ? '' : ', logprob ' + lp.toFixed(4) + ', p ' + p.toFixed(3)) }, String(id));
  });
  return h('div', { id: 'tokens' },
    h('p', { class: 'legend' }, num(prompt.length) + ' prompt tokens, ' + num(ids.length) + ' response tokens'
      + (lps.length ? ', ' + num(lps.length) + ' logprobs (colour: red = unlikely, green = likely)' : '')
      + (ids.length > TOKEN_LIMIT ? '; first ' + num(TOKEN_LIMIT) + ' shown' : '')),
    h('h2', {}, 'response token ids'), h('div', { class: 'tokens', id: 'response-tokens' }, chips),
    h('h2', {}, 'prompt token ids'),
    h('pre', { id: 'prompt-tokens' }, prompt.slice(0, TOKEN_LIMIT * 4).join(' ')
      + (prompt.length > TOKEN_LIMIT * 4 ? ' …' : '')));
}

function rawTab(span) {
  const text = JSON.stringify(span, null, 2);
  const limit = 200000;
  const pre = h('pre', { class: 'raw', id: 'raw-json' }, text.length > limit ? text.slice(0, limit) : text);
  if (text.length <= limit) return pre;
  const more = h('button', { type: 'button', class: 'more' }, 'show all ' + num(text.length) + ' characters');
  more.addEventListener('click', () => { pre.textContent = text; more.remove(); });
  return h('div', {}, pre, more);
}

/** The client's request as a curl command against this gateway (same rollout and attempt; no credentials). */
export function curl(span) {
  const anthropic = span.frontend_protocol === 'anthropic';
  const req = span.request || {};
  const path = anthropic ? '/v1/messages' : (req.prompt !== undefined && !req.messages ? '/v1/completions'
    : '/v1/chat/completions');
  const prefix = span.rollout_id ? '/rollout/' + encodeId(span.rollout_id) + '/attempt/'
    + encodeId(span.attempt_id || '1') : '';
  const body = typeof req === 'string' ? req : JSON.stringify(req);
  const headers = ["-H 'content-type: application/json'"];
  if (anthropic) headers.push("-H 'anthropic-version: 2023-06-01'");
  return 'curl ' + location.origin + prefix + path + ' \\\n  ' + headers.join(' \\\n  ')
    + " \\\n  --data-binary @- <<'JSON'\n" + body + '\nJSON';
}

function curlTab(span) {
  const text = curl(span);
  const area = h('textarea', { class: 'curl', id: 'curl', readonly: true }, text);
  const status = h('span', { class: 'sub' });
  const copy = h('button', { type: 'button', id: 'copy-curl' }, 'copy to clipboard');
  copy.addEventListener('click', async () => {
    area.select();
    try {
      await navigator.clipboard.writeText(text);
      status.textContent = ' copied';
    } catch (e) {
      status.textContent = ' selected: press Ctrl+C';
    }
  });
  return h('div', {}, h('p', {}, copy, status), area,
    h('p', { class: 'hint' }, 'replays the client\'s request through this gateway, in the same rollout and attempt'
      + ' (a new call with the next sequence id); add your API key header if the backend needs the client\'s key'));
}
