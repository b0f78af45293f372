// The auditor's pages: the audit trail (filters, paging, time order) and the verification of its
// 64 hash chains and anchors. The report is shown field by field, whatever fields it has (the
// per-chain results render as a table).

import { get, query } from '../api.js';
import { field, h, replace, run, statusLine, table } from '../dom.js';
import { instant, label, num, ROLES } from '../format.js';

const NAMES = {
  ok: '结论', checked: '已校验条数', first_bad_id: '首个异常记录', problem: '问题', chains: '各链结果', chain: '链',
  anchors: '锚点', latest_hash: '最新锚点哈希',
};

function value(v) {
  if (v === true) return '通过';
  if (v === false) return '未通过';
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return num(v);
  if (Array.isArray(v)) {
    if (v.length && typeof v[0] === 'object') {
      const keys = [...new Set(v.flatMap((o) => Object.keys(o)))];
      return table(keys.map((k) => ({ title: NAMES[k] || k, value: (o) => value(o[k]) })), v);
    }
    return v.map(String).join('、');
  }
  if (typeof v === 'object') return report(v);
  return String(v);
}

function report(obj) {
  return h('dl.facts', {}, Object.entries(obj).map(([k, v]) => [h('dt', {}, NAMES[k] || k), h('dd', {}, value(v))]));
}

export async function renderAudit(main) {
  const actor = h('input#audit-actor', { placeholder: '用户或客户端编号' });
  const action = h('input#audit-action', { placeholder: '如 auth.login' });
  const from = h('input#audit-from', { type: 'datetime-local' });
  const to = h('input#audit-to', { type: 'datetime-local' });
  const status = statusLine('audit-status');
  const verifyButton = h('button.secondary#audit-verify', { type: 'button' }, '校验哈希链');
  const verdict = h('div#audit-verdict');
  const list = h('div#audit-list');
  const more = h('button.secondary', { type: 'button', hidden: true }, '加载更多');
  const form = h('form.card.inline', {}, field('操作人', actor), field('动作', action), field('起', from), field('止', to),
    h('div.actions', {}, h('button', { type: 'submit' }, '查询'), verifyButton), status);
  replace(main, h('h2', {}, '审计日志'), form, verdict, list, more);
  let items = [];
  let cursor = null;
  const iso = (local) => (local ? new Date(local).toISOString() : '');

  const columns = [
    { title: '链', className: 'num', value: (e) => num(e.chain) },
    { title: '链内序号', className: 'num', value: (e) => num(e.seq) },
    { title: '时间', value: (e) => instant(e.occurred_at) },
    { title: '操作人', value: (e) => `${e.actor_type}${e.actor_role ? `（${label(ROLES, e.actor_role)}）` : ''} ${e.actor_id || ''}` },
    { title: '动作', value: (e) => e.action },
    { title: '对象', value: (e) => [e.object_type, e.object_id].filter(Boolean).join(' ') },
    { title: '结果', value: (e) => (e.result === 'success' ? '成功' : '失败') },
    { title: 'IP', value: (e) => e.ip || '' },
    { title: '哈希', value: (e) => h('code', { title: e.hash }, e.hash.slice(0, 12)) },
  ];

  async function load(append) {
    await run(null, status, '正在加载…', async () => {
      const page = await get(`/audit-events${query({ actor: actor.value.trim(), action: action.value.trim(), from: iso(from.value), to: iso(to.value), limit: 100, cursor: append ? cursor : '' })}`);
      items = append ? items.concat(page.items) : page.items;
      cursor = page.next_cursor;
      more.hidden = !cursor;
      replace(list, table(columns, items, { empty: '没有符合条件的审计记录' }));
      return '';
    });
  }
  verifyButton.addEventListener('click', () => run(verifyButton, status, '正在校验哈希链…', async () => {
    const result = await get('/audit-events/verify');
    replace(verdict, h(`div.card.${result.ok === false ? 'bad' : 'good'}#audit-verdict-report`, {}, h('h3', {}, '哈希链校验结果'), report(result)));
    return result.ok === false ? '哈希链校验未通过。' : '哈希链校验通过。';
  }));
  form.addEventListener('submit', (e) => { e.preventDefault(); load(false); });
  more.addEventListener('click', () => load(true));
  await load(false);
}
