// The login form, and the password change an account made by an administrator must do first.

import { field, h, replace, run, statusLine } from '../dom.js';
import { changePassword, login } from '../session.js';

export function renderLogin(main, { notice, onLoggedIn }) {
  const username = h('input#username', { name: 'username', autocomplete: 'username', required: true });
  const password = h('input#password', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button#login-submit', { type: 'submit' }, '登录');
  const status = statusLine('login-status');
  const form = h('form.card.login#login-form', { novalidate: true },
    h('h2', {}, '登录'),
    notice ? h('p.notice', {}, notice) : null,
    field('用户名', username),
    field('密码', password),
    h('div.actions', {}, submit),
    status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!username.value.trim() || !password.value) {
      status.className = 'status error';
      status.textContent = '请输入用户名和密码。';
      return;
    }
    const name = username.value.trim();
    const tokens = await run(submit, status, '正在登录…', () => login(name, password.value));
    if (!tokens) return;
    if (tokens.must_change_password) {
      renderPasswordChange(main, { username: name, current: password.value, onLoggedIn });
    } else {
      await run(null, status, '正在加载…', onLoggedIn);
    }
  });
  replace(main, form);
  username.focus();
}

function renderPasswordChange(main, { username, current, onLoggedIn }) {
  const next = h('input#new-password', { type: 'password', autocomplete: 'new-password', required: true });
  const again = h('input#new-password-again', { type: 'password', autocomplete: 'new-password', required: true });
  const submit = h('button#password-submit', { type: 'submit' }, '修改密码并继续');
  const status = statusLine('password-status');
  const form = h('form.card.login#password-form', { novalidate: true },
    h('h2', {}, '首次登录请修改密码'),
    h('p', {}, '密码至少 10 位，包含大写字母、小写字母、数字、符号中的三类，且不能包含用户名。'),
    field('新密码', next),
    field('再次输入新密码', again),
    h('div.actions', {}, submit),
    status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (next.value !== again.value) {
      status.className = 'status error';
      status.textContent = '两次输入的新密码不一致。';
      return;
    }
    const ok = await run(submit, status, '正在修改密码…', () => changePassword(username, current, next.value));
    if (ok) await run(null, status, '正在加载…', onLoggedIn);
  });
  replace(main, form);
  next.focus();
}
