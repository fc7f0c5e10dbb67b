// The trace UI: a hash router over four views, each reading the gateway's /api/.
import * as rollouts from './views/rollouts.js';
import * as rollout from './views/rollout.js';
import * as call from './views/call.js';
import * as overview from './views/overview.js';
import { h } from './format.js';

const root = document.getElementById('view');
let cleanup = null;
let generation = 0;

function parseHash() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, search] = hash.split('?');
  const parts = path.split('/');
  return { name: parts[0] || 'rollouts', arg: parts.slice(1).join('/'), params: new URLSearchParams(search || '') };
}

async function route() {
  if (cleanup) { cleanup(); cleanup = null; }
  const mine = ++generation;
  const { name, arg, params } = parseHash();
  const views = { rollouts, rollout, call, overview };
  const view = views[name] || rollouts;
  document.querySelectorAll('nav a').forEach((a) => a.classList.toggle('active', a.dataset.nav === name));
  root.replaceChildren(h('p', { class: 'loading' }, 'loading…'));
  try {
    const done = await view.render(root, decodeURIComponent(arg), params, () => mine !== generation);
    if (mine === generation) cleanup = done || null;
    else if (done) done();
  } catch (e) {
    if (mine === generation) root.replaceChildren(h('p', { class: 'error' }, 'error: ' + e.message));
  }
}

window.addEventListener('hashchange', route);
route();
