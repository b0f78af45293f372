// The action panel of a record for the user's role: review at the record's stage, the
// province's revoke and objection, the enterprise's submit and withdraw.

import { field, h } from '../dom.js';
import { label, STAGES } from '../format.js';

const REVIEWER_STAGE = { county_reviewer: 'county', city_reviewer: 'city', province_officer: 'province' };

function button(id, text, onclick, kind = '') {
  return h(`button${kind}#${id}`, { type: 'button', onclick }, text);
}

function reviewPanel(m, act, today) {
  const chain = m.review_chain || [];
  const last = chain[chain.length - 1] === m.stage;
  const comment = h('textarea#review-comment', { rows: 3, maxlength: 1000 });
  const effective = h('input#review-effective-on', { type: 'date', max: today, value: m.effective_on });
  const documentNo = h('input#review-document-no', { maxlength: 100 });
  const batch = h('input#review-batch', { maxlength: 100, placeholder: '如：2024年第一批' });
  const priority = h('input#review-priority', { type: 'number', min: 1, max: 100000 });
  const need = (text) => {
    if (!comment.value.trim()) {
      comment.focus();
      comment.setAttribute('aria-invalid', 'true');
      throw new Error(`${text}需要填写意见。`);
    }
    return comment.value.trim();
  };
  const decide = (action, busy, build) => (e) => {
    let body;
    try {
      body = build();
    } catch (err) {
      const status = document.getElementById('record-status');
      status.className = 'status error';
      status.textContent = err.message;
      return;
    }
    act(e.target, action, body, busy);
  };
  const approveBody = () => {
    const body = { comment: comment.value.trim() || null };
    if (last) {
      if (effective.value && effective.value !== m.effective_on) body.effective_on = effective.value;
      if (documentNo.value.trim()) body.document_no = documentNo.value.trim();
      if (batch.value.trim()) body.batch = batch.value.trim();
    } else if (priority.value) {
      body.priority = Number(priority.value);
    }
    return body;
  };
  return [
    h('h3', {}, `审核（${label(STAGES, m.stage)}${last ? '，最终环节' : ''}）`),
    field('审核意见', comment, '退回、驳回时必填'),
    last ? [field('认定生效日期', effective), field('文号', documentNo), field('批次', batch)] : field('推荐顺序', priority, '1 为最优先，可不填'),
    h('div.actions', {},
      button('approve', last ? '通过' : '推荐至下一环节', decide('approve', '正在提交审核结果…', approveBody)),
      button('return', '退回修改', decide('return', '正在退回…', () => ({ comment: need('退回') })), '.secondary'),
      button('reject', '驳回', decide('reject', '正在驳回…', () => ({ comment: need('驳回') })), '.danger')),
  ];
}

/** The panel's content, or null when the user has nothing to do with this record. */
export function reviewActions(me, m, { act, today }) {
  if (m.state === 'submitted' && REVIEWER_STAGE[me.role] === m.stage) return reviewPanel(m, act, today);
  if (me.role === 'province_officer' && m.state === 'approved') {
    const reason = h('textarea#revoke-comment', { rows: 2, maxlength: 1000 });
    const ends = h('input#revoke-effective-on', { type: 'date', value: today, max: today });
    return [h('h3', {}, '撤销认定'), field('撤销原因', reason), field('撤销生效日期', ends),
      h('div.actions', {}, button('revoke', '撤销', (e) => act(e.target, 'revoke', { comment: reason.value.trim() || null, effective_on: ends.value || null }, '正在撤销…'), '.danger'))];
  }
  if (me.role === 'province_officer' && m.state === 'publicised') {
    const reason = h('textarea#object-comment', { rows: 2, maxlength: 1000 });
    return [h('h3', {}, '公示异议'), field('异议说明', reason),
      h('div.actions', {}, button('object', '登记异议', (e) => act(e.target, 'object', { comment: reason.value.trim() || null }, '正在登记…'), '.danger'))];
  }
  if (me.role === 'enterprise' && (m.state === 'draft' || m.state === 'returned')) {
    return [h('h3', {}, '申报'), h('div.actions', {}, button('submit', '提交审核', (e) => act(e.target, 'submit', {}, '正在提交…')))];
  }
  if (me.role === 'enterprise' && (m.state === 'submitted' || m.state === 'publicised')) {
    return [h('h3', {}, '申报'), h('div.actions', {}, button('withdraw', '撤回申报', (e) => act(e.target, 'withdraw', {}, '正在撤回…'), '.secondary'))];
  }
  return null;
}
