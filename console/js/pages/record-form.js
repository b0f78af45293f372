// The enterprise's form to create a record (POST /enterprises/{id}/milestones) or edit a draft
// or returned one (PATCH with If-Match).

import { call } from '../api.js';
import { field, h, run, select, statusLine } from '../dom.js';
import { today } from '../format.js';
import { LEVELS, milestoneTypes } from '../reference.js';

/** Evidence lines ("https://…" or "file name") → the API's evidence list. */
function parseEvidence(text) {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.length ? lines.map((l) => (/^https?:\/\//i.test(l) ? { url: l } : { file_name: l })) : null;
}

/**
 * Renders the form; `existing` (with its `etag`) edits, otherwise creates. `onSaved(record)`
 * runs after a successful save.
 */
export async function recordForm({ enterpriseId, existing, etag, onSaved, onCancel }) {
  const types = await milestoneTypes();
  const typeSel = select({ id: 'form-type', disabled: Boolean(existing) }, types.map((t) => [t.code, t.name_zh]), existing ? existing.type : types[0].code);
  const level = h('select#form-level');
  const effective = h('input#form-effective-on', { type: 'date', max: today(), required: true, value: existing ? existing.effective_on : '' });
  const title = h('input#form-title', { maxlength: 200, required: true, value: existing ? existing.title : '' });
  const details = (existing && existing.details) || {};
  const project = h('input#form-project', { maxlength: 200, value: details.project_name || '' });
  const provider = h('input#form-provider', { maxlength: 200, value: details.provider || '' });
  const investment = h('input#form-investment', { type: 'number', min: 0, step: 'any', value: details.investment_cny ?? '' });
  const evidence = h('textarea#form-evidence', { rows: 3 });
  evidence.value = ((existing && existing.evidence) || []).map((e) => e.url || e.file_name).join('\n');
  const levelField = field('级别', level);

  function levels() {
    const t = types.find((x) => x.code === typeSel.value);
    level.replaceChildren(...(t ? t.levels : []).map((l) => h('option', { value: l, selected: existing && existing.level === l }, LEVELS[l] || l)));
    levelField.hidden = !(t && t.levels.length);
  }
  typeSel.addEventListener('change', levels);
  levels();

  const save = h('button#form-save', { type: 'submit' }, existing ? '保存修改' : '保存草稿');
  const status = statusLine('form-status');
  const form = h('form.card#record-form', { novalidate: true },
    h('h3', {}, existing ? '修改申报' : '新建申报'),
    field('类型', typeSel), levelField, field('生效日期', effective), field('名称', title),
    field('项目名称', project), field('服务商', provider), field('投资额（元）', investment),
    field('证明材料', evidence, '每行一个网址或文件名'),
    h('div.actions', {}, save, h('button.secondary', { type: 'button', onclick: onCancel }, '取消')),
    status);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const d = {};
    if (project.value.trim()) d.project_name = project.value.trim();
    if (provider.value.trim()) d.provider = provider.value.trim();
    if (investment.value !== '') d.investment_cny = Number(investment.value);
    const body = {
      level: levelField.hidden ? null : level.value,
      effective_on: effective.value,
      title: title.value.trim(),
      details: Object.keys(d).length ? d : null,
      evidence: parseEvidence(evidence.value),
    };
    const saved = await run(save, status, '正在保存…', async () => {
      if (existing) return (await call('PATCH', `/milestones/${existing.id}`, { body, headers: { 'If-Match': etag } })).body;
      return (await call('POST', `/enterprises/${enterpriseId}/milestones`, { body: { type: typeSel.value, ...body } })).body;
    });
    if (saved) onSaved(saved);
  });
  return form;
}
