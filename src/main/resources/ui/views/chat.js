// Renders an OpenAI Chat or Anthropic Messages request (and its response) as a conversation: system, user,
// assistant, tool calls with their arguments, tool results, thinking. Long texts are collapsed.
import { h, collapsible } from '../format.js';

export function conversation(body, protocol) {
  if (!body || typeof body !== 'object') {
    return [h('pre', {}, typeof body === 'string' ? body.slice(0, 20000) : String(body))];
  }
  if (protocol === 'anthropic' || (!body.messages && body.content) || body.system !== undefined) {
    return anthropicRequest(body);
  }
  return openAiRequest(body);
}

export function answer(response, protocol) {
  if (!response || typeof response !== 'object') return [];
  if (Array.isArray(response.content) && (protocol === 'anthropic' || response.type === 'message')) {
    return [message('assistant', response.content.map(anthropicBlock))];
  }
  if (Array.isArray(response.choices)) {
    return response.choices.map((c) => (c.message ? openAiMessage(c.message)
      : message('assistant', [block('text', collapsible(c.text || ''))])));
  }
  if (response.error) return [h('pre', { class: 'error' }, JSON.stringify(response.error, null, 2))];
  return [];
}

function openAiRequest(body) {
  if (typeof body.prompt === 'string') return [message('user', [block('text', collapsible(body.prompt))])];
  return (body.messages || []).map(openAiMessage);
}

function openAiMessage(m) {
  const blocks = [];
  if (m.reasoning_content || m.reasoning) blocks.push(block('thinking', collapsible(m.reasoning_content || m.reasoning)));
  if (typeof m.content === 'string') blocks.push(block('text', collapsible(m.content)));
  else if (Array.isArray(m.content)) {
    for (const p of m.content) {
      if (p.type === 'text') blocks.push(block('text', collapsible(p.text || '')));
      else blocks.push(block('text', h('span', { class: 'sub' }, '[' + p.type + ']')));
    }
  }
  for (const t of m.tool_calls || []) {
    blocks.push(toolCall(t.function?.name, t.function?.arguments, t.id));
  }
  if (m.role === 'tool') {
    return message('tool', [h('div', { class: 'block tool-result' },
      h('div', { class: 'sub' }, 'result of ' + (m.tool_call_id || 'a tool call')), ...blocks)]);
  }
  return message(m.role || 'message', blocks);
}

function anthropicRequest(body) {
  const out = [];
  if (body.system) {
    const parts = typeof body.system === 'string' ? [{ type: 'text', text: body.system }] : body.system;
    out.push(message('system', parts.map(anthropicBlock)));
  }
  for (const m of body.messages || []) {
    const blocks = typeof m.content === 'string' ? [block('text', collapsible(m.content))]
      : (m.content || []).map(anthropicBlock);
    out.push(message(m.role, blocks));
  }
  return out;
}

function anthropicBlock(b) {
  switch (b.type) {
    case 'text': return block('text', collapsible(b.text || ''));
    case 'thinking': return block('thinking', collapsible(b.thinking || ''));
    case 'redacted_thinking': return block('thinking', '[redacted thinking]');
    case 'tool_use': return toolCall(b.name, b.input, b.id);
    case 'tool_result': {
      const content = typeof b.content === 'string' ? b.content
        : (b.content || []).map((c) => (c.type === 'text' ? c.text : '[' + c.type + ']')).join('\n');
      return h('div', { class: 'block tool-result' + (b.is_error ? ' error' : '') },
        h('div', { class: 'sub' }, 'result of ' + (b.tool_use_id || 'a tool call')), collapsible(content));
    }
    default: return block('text', h('span', { class: 'sub' }, '[' + b.type + ']'));
  }
}

function toolCall(name, args, id) {
  let text = args;
  if (typeof args === 'string') {
    try { text = JSON.stringify(JSON.parse(args), null, 2); } catch (e) { text = args; }
  } else {
    text = JSON.stringify(args ?? {}, null, 2);
  }
  return h('div', { class: 'block tool-call' },
    h('span', { class: 'sub' }, 'tool call '), h('span', { class: 'tool-name' }, name || '?'),
    id ? h('span', { class: 'sub' }, ' ' + id) : null, h('pre', {}, text.length > 20000 ? text.slice(0, 20000) + ' …' : text));
}

function block(kind, content) {
  return h('div', { class: 'block ' + kind }, content);
}

function message(role, blocks) {
  return h('div', { class: 'msg ' + role }, h('div', { class: 'role' }, role), ...blocks);
}
