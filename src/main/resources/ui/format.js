// Small shared helpers: DOM building and number formats.

/** h('div', {class: 'x', onclick: f}, child, ...): an element; strings become text nodes (never HTML). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

export function num(n) {
  return n === null || n === undefined ? '–' : Number(n).toLocaleString('en-US');
}

export function usd(v) {
  if (v === null || v === undefined) return '–';
  if (v === 0) return '$0';
  return '$' + (v < 0.01 ? v.toPrecision(3) : v.toFixed(4));
}

export function pct(v) {
  return v === null || v === undefined ? '–' : (v * 100).toFixed(1) + '%';
}

export function ms(v) {
  if (v === null || v === undefined) return '–';
  if (v < 1000) return Math.round(v) + ' ms';
  if (v < 60000) return (v / 1000).toFixed(2) + ' s';
  return (v / 60000).toFixed(1) + ' min';
}

export function time(unixNano) {
  if (!unixNano) return '–';
  return new Date(unixNano / 1e6).toISOString().replace('T', ' ').replace('Z', '');
}

export function reward(v) {
  return v === null || v === undefined ? '–' : String(Number(v.toPrecision(6)));
}

/** A long text shown collapsed: the first `limit` characters and a button that shows the rest. */
export function collapsible(text, limit = 2000) {
  if (text.length <= limit) return h('div', { class: 'text' }, text);
  const box = h('div', { class: 'text collapsed' }, text.slice(0, limit));
  const more = h('button', { class: 'more', type: 'button' },
    'show all ' + num(text.length) + ' characters');
  more.addEventListener('click', () => { box.textContent = text; box.classList.remove('collapsed'); more.remove(); });
  return h('div', {}, box, more);
}

export function encodeId(id) {
  return encodeURIComponent(id);
}
