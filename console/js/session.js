// Logging in (with the forced password change) and out.

import { call, clearTokens, refreshToken, setTokens } from './api.js';

/** POST /auth/login; returns the token answer (must_change_password tells what comes next). */
export async function login(username, password) {
  const { body } = await call('POST', '/auth/login', { body: { username, password }, auth: false });
  setTokens(body.access_token, body.refresh_token, body.expires_in);
  return body;
}

/**
 * POST /me/password. The service ends every session of the account on a change, so the console
 * logs in again with the new password at once.
 */
export async function changePassword(username, current, next) {
  await call('POST', '/me/password', { body: { current_password: current, new_password: next } });
  clearTokens();
  return login(username, next);
}

/** GET /me. */
export async function me() {
  return (await call('GET', '/me')).body;
}

/** POST /auth/logout (revokes the refresh family), then forgets the tokens whatever happens. */
export async function logout() {
  const token = refreshToken();
  try {
    if (token) await call('POST', '/auth/logout', { body: { refresh_token: token } });
  } finally {
    clearTokens();
  }
}
