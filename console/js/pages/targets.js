// The province sets each city's target of an indicator for a year (the whole set is replaced
// at once; an empty box removes that city's target).

import { get, put } from '../api.js';
import { h, replace, run, statusLine, table } from '../dom.js';
import { num } from '../format.js';
import { cities } from '../reference.js';
import { statSelectors } from './selectors.js';

export async function renderTargets(main) {
  const selectors = await statSelectors({ withAsOf: false, idPrefix: 'targets' });
  const all = await cities();
  const status = statusLine('targets-status');
  const editor = h('div#targets-editor');
  const form = h('form.card.query', {}, selectors.element, h('div.actions', {}, h('button#targets-load', { type: 'submit' }, '读取目标')), status);
  replace(main, h('h2', {}, '城市目标'), form, editor);

  async function load() {
    const { plan, indicator, year } = selectors.values();
    const path = `/indicators/${encodeURIComponent(plan)}/${encodeURIComponent(indicator)}/targets`;
    await run(null, status, '正在读取…', async () => {
      const current = await get(`${path}?year=${encodeURIComponent(year)}`);
      const inputs = new Map(all.map((c) => {
        const t = current.targets.find((x) => x.region_code === c.code);
        return [c.code, h('input', { type: 'number', min: 0, max: 1000000000, step: 1, value: t ? t.value : '', 'aria-label': `${c.name_zh}目标`, dataset: { city: c.code } })];
      }));
      const sum = h('span#targets-sum');
      const showSum = () => {
        const values = [...inputs.values()].map((i) => i.value).filter((v) => v !== '').map(Number);
        sum.textContent = values.length ? num(values.reduce((a, b) => a + b, 0)) : '—';
      };
      inputs.forEach((i) => i.addEventListener('input', showSum));
      showSum();
      const save = h('button#targets-save', { type: 'button' }, '保存全部目标');
      save.addEventListener('click', () => run(save, status, '正在保存…', async () => {
        const targets = [...inputs.entries()].filter(([, i]) => i.value !== '').map(([code, i]) => ({ region_code: code, value: Number(i.value) }));
        const saved = await put(`${path}/${encodeURIComponent(year)}`, { targets });
        return `已保存 ${saved.targets.length} 个城市的目标，合计 ${num(saved.city_sum)}。`;
      }));
      replace(editor, h('div.card', {},
        h('p', {}, `规划目标（全省）：${num(current.province_target)}；各市目标合计：`, sum),
        table([{ title: '城市', value: (c) => c.name_zh }, { title: `${year}年目标`, value: (c) => inputs.get(c.code) }], all),
        h('div.actions', {}, save)));
      return '';
    });
  }
  form.addEventListener('submit', (e) => { e.preventDefault(); load(); });
  await load();
}
