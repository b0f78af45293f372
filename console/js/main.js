// The console's shell: login, then the pages of the user's role, chosen by the URL's fragment
// (#/progress, #/record/<id>, …). Reloading the page forgets the session (tokens are in memory
// only), so it starts at the login again.

import { onSessionExpired } from './api.js';
import { h, replace } from './dom.js';
import { label, ROLES } from './format.js';
import { logout, me as loadMe } from './session.js';
import { renderLogin } from './pages/login.js';
import { pagesFor } from './pages/index.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const user = document.getElementById('user');

let me = null;
let pages = [];

function showLogin(notice) {
  me = null;
  pages = [];
  replace(nav);
  replace(user);
  renderLogin(main, { notice, onLoggedIn: start });
}

async function start() {
  me = await loadMe();
  pages = pagesFor(me.role);
  replace(nav, pages.filter((p) => p.title).map((p) => h('a', { href: `#/${p.path}`, dataset: { page: p.path } }, p.title)));
  replace(user,
    h('span.who', {}, `${me.display_name || me.username}（${label(ROLES, me.role)}）`),
    h('button.secondary#logout', { type: 'button', onclick: onLogout }, '退出登录'));
  route();
}

async function onLogout(event) {
  event.target.disabled = true;
  try {
    await logout();
  } catch {
    // The tokens are forgotten whatever the service answered.
  }
  location.hash = '';
  showLogin('您已安全退出。');
}

function route() {
  if (!me) return;
  const [path, ...args] = location.hash.replace(/^#\/?/, '').split('/');
  const page = pages.find((p) => p.path === path) || pages[0];
  if (!page) {
    replace(main, h('p.notice', {}, '该角色的工作请通过接口完成，控制台暂无对应页面。'));
    return;
  }
  for (const a of nav.querySelectorAll('a')) {
    if (a.dataset.page === page.path) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  replace(main);
  main.focus({ preventScroll: true });
  page.render(main, { me, args: args.map(decodeURIComponent), go: (to) => { location.hash = `#/${to}`; } });
}

window.addEventListener('hashchange', route);
onSessionExpired(() => showLogin('登录已失效，请重新登录。'));
showLogin();
