// One record: its fields, evidence, history, and the actions the user may take on it (review
// at its stage, revoke or object for the province, submit or withdraw for the enterprise). A
// decision sends the ETag read with the record as If-Match; when someone else acted first
// (412 or 409) the record is read again and the page says who did what.

import { ApiError, call, get, query } from '../api.js';
import { errorText, h, replace, run, statusLine, table } from '../dom.js';
import { ACTIONS, date, instant, label, num, ROLES, STAGES, STATES, today } from '../format.js';
import { LEVELS, names } from '../reference.js';
import { reviewActions } from './record-actions.js';

const DETAILS = { project_name: '项目名称', platform_name: '平台名称', provider: '服务商', investment_cny: '投资额（元）', document_number: '文号', note: '备注' };

function dl(pairs) {
  return h('dl.facts', {}, pairs.filter(([, v]) => v !== null && v !== undefined && v !== '').map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

function evidence(list) {
  if (!list || !list.length) return h('p', {}, '无证明材料');
  return h('ul.evidence', {}, list.map((e) => h('li', {},
    e.url && /^https?:\/\//i.test(e.url) ? h('a', { href: e.url, target: '_blank', rel: 'noopener noreferrer' }, e.url) : e.url || e.file_name,
    e.sha256 ? h('small', {}, ` SHA-256 ${e.sha256}`) : null)));
}

/** Who made the record's last decision, for the conflict message (the list carries names). */
async function lastActor(m, history) {
  const last = history[history.length - 1];
  let who = last ? label(ROLES, last.actor_role) : '其他用户';
  try {
    const page = await get(`/milestones${query({ enterprise_id: m.enterprise_id, type: m.type, limit: 500 })}`);
    const item = page.items.find((i) => i.id === m.id);
    if (item && item.decided_by_name && last && last.actor_id === item.decided_by) who = `${item.decided_by_name}（${who}）`;
  } catch {
    // The role alone is still worth showing.
  }
  return last ? `${who}已于${instant(last.at)}${label(ACTIONS, last.action)}该记录，当前状态：${label(STATES, m.state)}${m.stage ? `（${label(STAGES, m.stage)}）` : ''}。请核对后再操作。` : '';
}

export async function renderRecord(main, ctx) {
  const [id] = ctx.args;
  const status = statusLine('record-status');
  const n = await names();
  let etag = null;
  let record = null;

  async function load() {
    const res = await call('GET', `/milestones/${id}`);
    record = res.body;
    etag = res.etag;
    const [history, enterprise] = await Promise.all([
      get(`/milestones/${id}/history`),
      get(`/enterprises/${record.enterprise_id}`).catch(() => null),
    ]);
    return { history: history.items, enterprise };
  }

  /** Sends an action; on a conflict re-reads the record and explains. */
  async function act(button, action, body, busy) {
    const headers = etag ? { 'If-Match': etag } : {};
    const ok = await run(button, status, busy, async () => {
      try {
        await call('POST', `/milestones/${id}/${action}`, { body, headers });
      } catch (err) {
        if (err instanceof ApiError && (err.status === 412 || err.status === 409)) {
          const { history } = await load();
          const who = await lastActor(record, history);
          throw new ApiError(err.status, { detail: `${err.detail.replace(/[。.]$/, '')}。${who}` });
        }
        throw err;
      }
      return '已完成';
    });
    if (ok) await draw(`${label(ACTIONS, action)}成功。`);
    else if (record) await draw(null, status.textContent);
  }

  async function draw(done, failed) {
    let data;
    try {
      data = await load();
    } catch (err) {
      replace(main, h('h2', {}, '记录详情'), h('p.status.error', { role: 'alert' }, errorText(err)));
      return;
    }
    const m = record;
    const facts = dl([
      ['企业', data.enterprise ? `${data.enterprise.name}（${data.enterprise.uscc}）` : m.enterprise_id],
      ['类型', `${n.type(m.type)}${m.level ? `（${label(LEVELS, m.level)}）` : ''}`],
      ['名称', m.title],
      ['状态', `${label(STATES, m.state)}${m.stage ? ` · ${label(STAGES, m.stage)}` : ''}`],
      ['生效日期', date(m.effective_on)],
      ['所在地', m.city_code ? `${n.division(m.city_code)} ${n.division(m.county_code)}` : null],
      ['审核流程', m.review_chain ? m.review_chain.map((s) => label(STAGES, s)).join(' → ') : null],
      ['提交时间', m.submitted_at ? instant(m.submitted_at) : null],
      ['公示期', m.publicity_starts_on ? `${date(m.publicity_starts_on)} 至 ${date(m.publicity_ends_on)}` : null],
      ['文号', m.document_no], ['批次', m.batch], ['审核意见', m.comment],
      ...Object.entries(m.details || {}).map(([k, v]) => [DETAILS[k] || k, typeof v === 'number' ? num(v) : String(v)]),
    ]);
    const history = table([
      { title: '时间', value: (e) => instant(e.at) },
      { title: '操作', value: (e) => label(ACTIONS, e.action) },
      { title: '环节', value: (e) => label(STAGES, e.stage) },
      { title: '状态', value: (e) => `${label(STATES, e.from_state)} → ${label(STATES, e.to_state)}` },
      { title: '操作人', value: (e) => label(ROLES, e.actor_role) },
      { title: '意见', value: (e) => e.comment || '' },
    ], data.history, { caption: '办理记录' });
    const actions = reviewActions(ctx.me, m, { act, today: today() });
    if (done) { status.className = 'status ok'; status.textContent = done; }
    if (failed) { status.className = 'status error'; status.textContent = failed; }
    replace(main, h('h2', {}, '记录详情'),
      h('div.card', {}, facts, h('h3', {}, '证明材料'), evidence(m.evidence)),
      actions ? h('div.card#record-actions', {}, actions) : null,
      status,
      h('div.card', {}, history),
      h('p', {}, h('button.secondary', { type: 'button', onclick: () => goBack(ctx) }, '返回')));
  }

  replace(main, h('p.status.busy', {}, '正在加载…'));
  await draw();
}

function goBack(ctx) {
  const back = { enterprise: 'records' }[ctx.me.role] || 'queue';
  ctx.go(back);
}
