// The one way the console talks to the service: the public API under /api/v1.
//
// Tokens live in this module's variables only — never in a URL, localStorage, sessionStorage or
// a cookie — so they vanish when the tab closes or reloads, and a script injected elsewhere
// cannot read them from storage. A 401 tries the refresh token once (one refresh at a time:
// refresh tokens rotate, and reusing a rotated one revokes the whole session), then returns to
// the login page.

const BASE = '/api/v1';

let tokens = null; // { access, refresh, expiresAt }
let refreshing = null; // the refresh in flight, shared by concurrent 401s
let onExpired = () => {};

/** An API failure carrying the problem body (`detail` is shown to people). */
export class ApiError extends Error {
  constructor(status, body) {
    const detail = (body && body.detail) || `请求失败（HTTP ${status}）`;
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.code = body && body.code;
    this.detail = detail;
    this.body = body || {};
  }
}

/** Called when the session cannot be renewed (the app shows the login page). */
export function onSessionExpired(fn) {
  onExpired = fn;
}

/** Keeps the tokens of a login or refresh answer (`expiresIn` in seconds). */
export function setTokens(access, refresh, expiresIn) {
  tokens = { access, refresh, expiresAt: Date.now() + (expiresIn || 900) * 1000 };
}

export function hasSession() {
  return tokens !== null;
}

/** The refresh token now in force (it rotates on every refresh). */
export function refreshToken() {
  return tokens ? tokens.refresh : null;
}

export function clearTokens() {
  tokens = null;
}

async function send(method, path, { body, headers = {}, raw } = {}) {
  const init = { method, headers: { Accept: 'application/json', 'Accept-Language': 'zh-CN', ...headers }, credentials: 'omit', cache: 'no-store' };
  if (tokens) init.headers.Authorization = `Bearer ${tokens.access}`;
  if (raw !== undefined) {
    init.body = raw;
  } else if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  return fetch(BASE + path, init);
}

async function refresh() {
  if (!tokens) return false;
  if (!refreshing) {
    const token = tokens.refresh;
    refreshing = (async () => {
      const res = await fetch(`${BASE}/auth/refresh`, {
        method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ refresh_token: token }), credentials: 'omit', cache: 'no-store',
      });
      if (!res.ok) return false;
      const t = await res.json();
      setTokens(t.access_token, t.refresh_token, t.expires_in);
      return true;
    })().catch(() => false).finally(() => { refreshing = null; });
  }
  return refreshing;
}

async function parse(res) {
  const type = res.headers.get('Content-Type') || '';
  if (res.status === 204) return null;
  if (type.includes('json')) return res.json();
  return res.text();
}

/** Sends, and on a 401 refreshes once and resends; a 401 after that ends the session. */
async function authorised(method, path, options) {
  // Renewed shortly before it expires, so that an expired token's 401 is the exception.
  if (tokens && options.auth !== false && Date.now() > tokens.expiresAt - 30000) await refresh();
  let res = await send(method, path, options);
  if (res.status === 401 && options.auth !== false && tokens) {
    if (await refresh()) res = await send(method, path, options);
    if (res.status === 401) {
      const body = await parse(res).catch(() => null);
      tokens = null;
      onExpired(new ApiError(401, body));
      throw new ApiError(401, body);
    }
  }
  return res;
}

/**
 * Sends a request and returns `{ body, etag, status }`; throws ApiError with the problem's
 * detail otherwise. `auth: false` for the login itself (a 401 there is a wrong password).
 */
export async function call(method, path, options = {}) {
  const res = await authorised(method, path, options);
  const body = await parse(res).catch(() => null);
  if (!res.ok) throw new ApiError(res.status, typeof body === 'object' ? body : null);
  return { body, etag: res.headers.get('ETag'), status: res.status };
}

export const get = async (path) => (await call('GET', path)).body;
export const post = async (path, body, headers) => (await call('POST', path, { body, headers })).body;
export const put = async (path, body) => (await call('PUT', path, { body })).body;
export const del = async (path) => (await call('DELETE', path)).body;

/** A query string from an object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== '' && v !== null && v !== undefined) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/**
 * Downloads a file the API produces (CSV, XLSX) with the bearer header, and hands it to the
 * browser as a Blob link — the token never appears in a URL. Returns the file's size.
 */
export async function download(path, filename) {
  const res = await authorised('GET', path, { headers: { Accept: '*/*' } });
  if (!res.ok) {
    const body = await parse(res).catch(() => null);
    throw new ApiError(res.status, typeof body === 'object' ? body : null);
  }
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  return blob.size;
}
