// The enterprise's delegations to service providers: grant (provider id, types, optional last
// day) and revoke.

import { del, get, post } from '../api.js';
import { field, h, replace, run, statusLine, table } from '../dom.js';
import { date, instant, today } from '../format.js';
import { milestoneTypes, names } from '../reference.js';

export async function renderDelegations(main, { me }) {
  const n = await names();
  const types = await milestoneTypes();
  const base = `/enterprises/${me.enterprise_id}/delegations`;
  const provider = h('input#delegation-provider', { required: true, placeholder: '服务商编号（由省经信厅登记时提供）' });
  const boxes = types.map((t) => h('label.check', {}, h('input', { type: 'checkbox', value: t.code }), t.name_zh));
  const expires = h('input#delegation-expires', { type: 'date', min: today() });
  const grant = h('button#delegation-grant', { type: 'submit' }, '授权');
  const status = statusLine('delegations-status');
  const list = h('div#delegation-list');
  const form = h('form.card', {},
    h('h3', {}, '新增委托'), field('服务商编号', provider),
    h('fieldset.checks', {}, h('legend', {}, '委托申报的类型'), boxes),
    field('截止日期', expires, '留空为长期有效'), h('div.actions', {}, grant), status);
  replace(main, h('h2', {}, '委托服务商'), h('p', {}, '服务商仅能为您申报已委托的类型；撤销立即生效。'), form, list);

  async function load() {
    const page = await get(base);
    replace(list, table([
      { title: '服务商', value: (d) => d.provider_name },
      { title: '类型', value: (d) => d.types.map(n.type).join('、') },
      { title: '截止日期', value: (d) => (d.expires_on ? date(d.expires_on) : '长期') },
      { title: '状态', value: (d) => (d.in_force ? '有效' : d.revoked_at ? `已撤销 ${instant(d.revoked_at)}` : '已过期') },
      { title: '授权时间', value: (d) => instant(d.created_at) },
      { title: '操作', value: (d) => (d.in_force ? h('button.link', { type: 'button', onclick: (e) => revoke(e, d) }, '撤销') : '') },
    ], page.items, { empty: '尚未委托服务商' }));
  }
  const revoke = (e, d) => run(e.target, status, '正在撤销…', async () => {
    await del(`${base}/${d.id}`);
    await load();
    return `已撤销对 ${d.provider_name} 的委托。`;
  });

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const chosen = boxes.map((b) => b.querySelector('input')).filter((i) => i.checked).map((i) => i.value);
    run(grant, status, '正在授权…', async () => {
      const d = await post(base, { provider_id: provider.value.trim(), types: chosen, expires_on: expires.value || null });
      await load();
      return `已委托 ${d.provider_name}。`;
    });
  });
  await run(null, status, '正在加载…', async () => { await load(); return ''; });
}
