// The UI's only data path: the gateway's HTTP API under /api/. When /api answers 401 (an admin key is set), the
// user is asked for the key once; it is kept in sessionStorage and sent as "Authorization: Bearer <key>".
const KEY = 'tracegate.adminKey';
let waitingForKey = null;

function headers() {
  const key = sessionStorage.getItem(KEY);
  return key ? { Authorization: 'Bearer ' + key } : {};
}

function askForKey() {
  if (!waitingForKey) {
    waitingForKey = new Promise((resolve) => {
      const form = document.getElementById('key-form');
      const input = document.getElementById('key-input');
      form.hidden = false;
      input.focus();
      form.onsubmit = (e) => {
        e.preventDefault();
        sessionStorage.setItem(KEY, input.value);
        form.hidden = true;
        input.value = '';
        waitingForKey = null;
        resolve();
      };
    });
  }
  return waitingForKey;
}

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') q.append(k, v);
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

/** fetch() of an /api/ path with the admin key; asks for the key on 401 and tries again. */
export async function apiFetch(path, init = {}) {
  for (;;) {
    const res = await fetch(path, { ...init, headers: { ...(init.headers || {}), ...headers() } });
    if (res.status === 401) {
      await askForKey();
      continue;
    }
    return res;
  }
}

export async function getJson(path) {
  const res = await apiFetch(path);
  const text = await res.text();
  if (!res.ok) {
    let message = text;
    try { message = JSON.parse(text).error.message; } catch (e) { /* not the API's error shape */ }
    throw new Error(res.status + ' ' + message);
  }
  return JSON.parse(text);
}

/** GET of a JSONL answer (e.g. /api/triplets): one object per line. */
export async function getJsonLines(path) {
  const res = await apiFetch(path);
  const text = await res.text();
  if (!res.ok) throw new Error(res.status + ' ' + text);
  return text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

/** Every span of a query, following next_cursor. */
export async function allSpans(params) {
  const spans = [];
  let cursor = null;
  do {
    const page = await getJson('/api/spans' + query({ ...params, limit: 1000, cursor }));
    spans.push(...page.spans);
    cursor = page.next_cursor;
  } while (cursor);
  return spans;
}

/**
 * Follows GET /api/events (server-sent events, read with fetch so the admin key can be sent; EventSource cannot
 * send headers) and calls onSpans(persisted) for each "spans" event (persisted: the gateway's count of stored spans). Reconnects after a drop; returns a stop function.
 */
export function watchSpans(onSpans) {
  const controller = new AbortController();
  let stopped = false;
  (async () => {
    while (!stopped) {
      try {
        const res = await apiFetch('/api/events', { signal: controller.signal });
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = /^data: (.*)$/m.exec(frame);
            if (/^event: spans$/m.test(frame) && data) onSpans(JSON.parse(data[1]).persisted);
          }
        }
      } catch (e) {
        if (stopped) return;
      }
      await new Promise((r) => setTimeout(r, 2000));
    }
  })();
  return () => { stopped = true; controller.abort(); };
}
