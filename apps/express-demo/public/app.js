/* global document, setInterval, clearInterval */
// The demo page's only script: plain JS, no framework, loaded as a module (so nothing leaks onto
// `window`) and allowed by the CSP's `script-src 'self'`. DOM text is only ever set through
// `textContent`, never HTML, which is also what the CSP's Trusted Types requirement enforces.

// Refresh once this little is left: 60 s, or a fifth of the lifetime for short-lived tokens.
const REFRESH_MARGIN_MS = 60_000;
const REFRESH_SHARE = 0.2;
// After a failed refresh (e.g. 503), wait before trying again instead of retrying every tick.
const RETRY_AFTER_MS = 5_000;

// The token lives here and nowhere else: not in a cookie, not in Web Storage. Any other
// script-reachable store would outlive the page or ride along on cross-site requests.
/** @type {null | { token: string, userId: string, permissions: string[], tokenId: string, issuedAt: string, expiresAt: string, lifetimeMs: number, deadline: number, retryAt: number }} */
let session = null;
let ticker = null;
let refreshing = false;
let refreshCount = 0;

const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const status = byId('status');
const loginView = byId('login-view');
const sessionView = byId('session-view');
const form = /** @type {HTMLFormElement} */ (byId('login-form'));
const username = /** @type {HTMLInputElement} */ (byId('username'));
const password = /** @type {HTMLInputElement} */ (byId('password'));
const adminButton = /** @type {HTMLButtonElement} */ (byId('admin-button'));
const refreshButton = /** @type {HTMLButtonElement} */ (byId('refresh-button'));
const logoutButton = /** @type {HTMLButtonElement} */ (byId('logout-button'));
const adminResult = byId('admin-result');
const adminBody = byId('admin-body');

function announce(message, kind = 'info') {
  status.textContent = message;
  status.dataset.kind = kind;
}

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

/** Calls the API; never throws. A network failure is reported as status 0. */
async function api(method, path, { token, body } = {}) {
  const headers = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  try {
    const response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
    });
    const data = await response.json().catch(() => ({}));
    return { status: response.status, body: data };
  } catch {
    return { status: 0, body: { error: 'The server could not be reached', code: 'network_error' } };
  }
}

function describeError({ status: code, body }) {
  const what = typeof body.error === 'string' ? body.error : 'Request failed';
  return `${what} (${code || 'no answer'}${typeof body.code === 'string' ? ` ${body.code}` : ''})`;
}

function formatRemaining(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = String(Math.floor((total % 3600) / 60)).padStart(2, '0');
  const seconds = String(total % 60).padStart(2, '0');
  return `${hours}:${minutes}:${seconds}`;
}

function showTime(id, iso) {
  const node = byId(id);
  node.setAttribute('datetime', iso);
  node.textContent = new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/**
 * Takes a login or refresh answer as the current session. The countdown runs on this page's
 * clock from `expires_in`, not on `expires_at`, so a client whose clock is off still refreshes in time.
 */
function adopt(body) {
  const lifetimeMs = Date.parse(body.expires_at) - Date.parse(body.issued_at);
  session = {
    token: body.access_token,
    userId: body.user_id,
    permissions: body.permissions,
    tokenId: body.token_id,
    issuedAt: body.issued_at,
    expiresAt: body.expires_at,
    lifetimeMs: lifetimeMs > 0 ? lifetimeMs : body.expires_in * 1000,
    deadline: Date.now() + body.expires_in * 1000,
    retryAt: 0,
  };
  byId('user').textContent = session.userId;
  byId('permissions').replaceChildren(...session.permissions.map((permission) => element('li', permission)));
  byId('token-id').textContent = session.tokenId;
  showTime('issued-at', session.issuedAt);
  showTime('expires-at', session.expiresAt);
  tick();
}

function tick() {
  if (!session) return;
  const left = session.deadline - Date.now();
  byId('countdown').textContent = formatRemaining(left);
  /** @type {HTMLProgressElement} */ (byId('lifetime')).value = Math.max(0, left / session.lifetimeMs);
  if (left <= 0) {
    endSession('Your session expired. Please log in again.', 'error');
  } else if (left <= Math.min(REFRESH_MARGIN_MS, session.lifetimeMs * REFRESH_SHARE) && Date.now() >= session.retryAt) {
    void refresh('automatic');
  }
}

async function refresh(trigger) {
  if (refreshing || !session) return;
  const previous = session;
  refreshing = true;
  refreshButton.disabled = true;
  const reply = await api('POST', '/api/refresh', { token: previous.token });
  refreshing = false;
  refreshButton.disabled = false;
  // Logged out (or replaced) while the request was in flight: that answer is no longer ours.
  if (session !== previous) return;
  if (reply.status === 200) {
    adopt(reply.body);
    refreshCount += 1;
    byId('refreshes').textContent = `${refreshCount} (last: ${trigger}), new token id ${session.tokenId}`;
    announce(`Token refreshed (${trigger}). New token id ${session.tokenId}; the old token is revoked.`, 'success');
  } else if (reply.status === 401) {
    endSession(`Your session ended: ${describeError(reply)}. Please log in again.`, 'error');
  } else {
    session.retryAt = Date.now() + RETRY_AFTER_MS;
    announce(`Could not refresh the token: ${describeError(reply)}. Trying again shortly.`, 'error');
  }
}

function startSession(body) {
  refreshCount = 0;
  byId('refreshes').textContent = 'none yet';
  adminResult.hidden = true;
  adminBody.replaceChildren();
  adopt(body);
  loginView.hidden = true;
  sessionView.hidden = false;
  ticker = setInterval(tick, 1000);
  byId('session-heading').focus();
}

function endSession(message, kind = 'info') {
  session = null;
  clearInterval(ticker);
  ticker = null;
  sessionView.hidden = true;
  loginView.hidden = false;
  announce(message, kind);
  username.focus();
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const credentials = { username: username.value.trim(), password: password.value };
  if (!credentials.username || !credentials.password) {
    announce('Enter a username and a password.', 'error');
    (credentials.username ? password : username).focus();
    return;
  }
  const submit = /** @type {HTMLButtonElement} */ (form.querySelector('button[type="submit"]'));
  submit.disabled = true;
  announce('Logging in…');
  const reply = await api('POST', '/api/login', { body: credentials });
  submit.disabled = false;
  password.value = '';
  if (reply.status === 200) {
    startSession(reply.body);
    announce(`Logged in as ${session.userId}. The token is refreshed automatically before it expires.`, 'success');
  } else {
    announce(`Login failed: ${describeError(reply)}.`, 'error');
    password.focus();
  }
});

function showAdminUsers(users) {
  const table = element('table');
  const head = element('tr');
  head.append(element('th', 'Username'), element('th', 'Permissions'));
  table.append(element('caption', `${users.length} users`), head);
  for (const user of users) {
    const row = element('tr');
    row.append(element('td', user.username), element('td', user.permissions.join(', ') || '—'));
    table.append(row);
  }
  adminBody.replaceChildren(table);
}

adminButton.addEventListener('click', async () => {
  if (!session) return;
  adminButton.disabled = true;
  const reply = await api('GET', '/api/admin/users', { token: session.token });
  adminButton.disabled = false;
  if (!session) return;
  adminResult.hidden = false;
  if (reply.status === 200) {
    showAdminUsers(reply.body.users);
    announce(`Admin API answered: ${reply.body.users.length} users.`, 'success');
  } else if (reply.status === 403) {
    const required = Array.isArray(reply.body.required) ? reply.body.required.join(', ') : 'admin';
    const notice = element('div', undefined, 'denied');
    notice.append(
      element('strong', '403 Forbidden — access denied'),
      element('p', `This route needs the “${required}” permission; your token grants ${session.permissions.join(', ') || 'none'}.`),
      element('p', `Server said: ${describeError(reply)}.`, 'detail'),
    );
    adminBody.replaceChildren(notice);
    announce(`Access denied: the admin API needs the ${required} permission.`, 'error');
  } else if (reply.status === 401) {
    endSession(`Your session ended: ${describeError(reply)}. Please log in again.`, 'error');
  } else {
    adminBody.replaceChildren(element('p', `The admin API failed: ${describeError(reply)}.`, 'denied'));
    announce(`The admin API failed: ${describeError(reply)}.`, 'error');
  }
});

refreshButton.addEventListener('click', () => void refresh('manual'));

logoutButton.addEventListener('click', async () => {
  if (!session) return;
  logoutButton.disabled = true;
  const reply = await api('POST', '/api/logout', { token: session.token });
  logoutButton.disabled = false;
  // Forget the token whatever the server said: the user asked to be logged out here.
  endSession(
    reply.status === 200
      ? 'Logged out. The token is revoked on the server.'
      : `Logged out on this page, but the server could not revoke the token: ${describeError(reply)}.`,
    reply.status === 200 ? 'info' : 'error',
  );
});
