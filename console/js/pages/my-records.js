// The enterprise's records: the list with their states, a form to create or edit one, and
// submit / withdraw from the list.

import { call, get, query } from '../api.js';
import { h, replace, run, statusLine, table } from '../dom.js';
import { date, instant, label, num, STAGES, STATES } from '../format.js';
import { LEVELS, names } from '../reference.js';
import { recordForm } from './record-form.js';

export async function renderMyRecords(main, { me, go }) {
  const n = await names();
  const status = statusLine('records-status');
  const list = h('div#records-list');
  const formSlot = h('div#form-slot');
  const create = h('button#new-record', { type: 'button' }, '新建申报');
  const count = h('p.count');
  replace(main, h('h2', {}, '我的申报'), h('div.actions', {}, create), formSlot, status, count, list);

  async function openForm(existing) {
    let etag = null;
    if (existing) {
      const res = await call('GET', `/milestones/${existing.id}`);
      existing = res.body;
      etag = res.etag;
    }
    const form = await recordForm({
      enterpriseId: me.enterprise_id, existing, etag,
      onSaved: async (saved) => {
        replace(formSlot);
        await load();
        status.className = 'status ok';
        status.textContent = `已保存“${saved.title}”（${label(STATES, saved.state)}）。`;
      },
      onCancel: () => replace(formSlot),
    });
    replace(formSlot, form);
    form.querySelector('select, input').focus();
  }

  async function act(button, m, action, busy, done) {
    const res = await call('GET', `/milestones/${m.id}`).catch(() => null);
    const headers = res && res.etag ? { 'If-Match': res.etag } : {};
    const ok = await run(button, status, busy, async () => {
      await call('POST', `/milestones/${m.id}/${action}`, { body: {}, headers });
      return done;
    });
    if (ok) {
      await load();
      status.className = 'status ok';
      status.textContent = done;
    }
  }

  function rowActions(m) {
    const buttons = [h('button.link', { type: 'button', onclick: () => go(`record/${m.id}`) }, '详情')];
    if (m.state === 'draft' || m.state === 'returned') {
      buttons.push(h('button.link', { type: 'button', dataset: { edit: m.id }, onclick: () => openForm(m) }, '修改'));
      buttons.push(h('button.link', { type: 'button', dataset: { submit: m.id }, onclick: (e) => act(e.target, m, 'submit', '正在提交…', `“${m.title}”已提交审核。`) }, '提交'));
    }
    if (m.state === 'submitted' || m.state === 'publicised') {
      buttons.push(h('button.link', { type: 'button', dataset: { withdraw: m.id }, onclick: (e) => act(e.target, m, 'withdraw', '正在撤回…', `“${m.title}”已撤回。`) }, '撤回'));
    }
    return h('span.row-actions', {}, buttons);
  }

  async function load() {
    await run(null, status, '正在加载…', async () => {
      const page = await get(`/milestones${query({ enterprise_id: me.enterprise_id, sort: '-submitted_at', limit: 200 })}`);
      count.textContent = `共 ${num(page.total)} 条`;
      replace(list, table([
        { title: '类型', value: (m) => `${n.type(m.type)}${m.level ? `（${label(LEVELS, m.level)}）` : ''}` },
        { title: '名称', value: (m) => m.title },
        { title: '生效日期', value: (m) => date(m.effective_on) },
        { title: '状态', className: 'state', value: (m) => `${label(STATES, m.state)}${m.stage ? ` · ${label(STAGES, m.stage)}` : ''}` },
        { title: '提交时间', value: (m) => instant(m.submitted_at) },
        { title: '意见', value: (m) => m.comment || '' },
        { title: '操作', value: rowActions },
      ], page.items, { rowAttrs: (m) => ({ dataset: { id: m.id, state: m.state } }), empty: '还没有申报记录' }));
      return '';
    });
  }

  create.addEventListener('click', () => openForm(null));
  await load();
}
