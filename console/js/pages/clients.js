// The enterprise's API clients (machine access for its ERP): create — the secret is shown once,
// here, and never again — list and revoke.

import { del, get, post } from '../api.js';
import { field, h, replace, run, statusLine, table } from '../dom.js';
import { instant } from '../format.js';

export async function renderClients(main, { me }) {
  const base = `/enterprises/${me.enterprise_id}/clients`;
  const name = h('input#client-name', { maxlength: 100, required: true, placeholder: '如：ERP 系统' });
  const create = h('button#client-create', { type: 'submit' }, '创建客户端');
  const status = statusLine('clients-status');
  const secret = h('div#client-secret');
  const list = h('div#client-list');
  const form = h('form.card.inline', {}, field('名称', name), h('div.actions', {}, create), status);
  replace(main, h('h2', {}, '接口客户端'), form, secret, list);

  async function load() {
    const page = await get(base);
    replace(list, table([
      { title: '名称', value: (c) => c.name },
      { title: '客户端编号', value: (c) => h('code', {}, c.client_id) },
      { title: '创建时间', value: (c) => instant(c.created_at) },
      { title: '最近使用', value: (c) => instant(c.last_used_at) },
      { title: '状态', value: (c) => (c.revoked_at ? `已吊销 ${instant(c.revoked_at)}` : '有效') },
      { title: '操作', value: (c) => (c.revoked_at ? '' : h('button.link', { type: 'button', onclick: (e) => revoke(e, c) }, '吊销')) },
    ], page.items, { empty: '还没有接口客户端' }));
  }
  const revoke = (e, c) => run(e.target, status, '正在吊销…', async () => {
    await del(`${base}/${c.client_id}`);
    await load();
    return `已吊销 ${c.name}。`;
  });

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    run(create, status, '正在创建…', async () => {
      const c = await post(base, { name: name.value.trim() });
      const value = h('input#client-secret-value', { readonly: true, value: c.client_secret, 'aria-label': '客户端密钥' });
      replace(secret, h('div.card.secret', { role: 'alert' },
        h('h3', {}, '请立即保存客户端密钥'),
        h('p', {}, '密钥只显示这一次，离开本页后无法再次查看；遗失请吊销后重新创建。'),
        field('客户端编号', h('input', { readonly: true, value: c.client_id })),
        field('客户端密钥', value),
        h('div.actions', {}, h('button.secondary', { type: 'button', onclick: () => { value.select(); navigator.clipboard?.writeText(c.client_secret).catch(() => {}); } }, '复制密钥'),
          h('button.secondary', { type: 'button', onclick: () => replace(secret) }, '我已保存'))));
      name.value = '';
      await load();
      return `已创建 ${c.name}。`;
    });
  });
  await run(null, status, '正在加载…', async () => { await load(); return ''; });
}
