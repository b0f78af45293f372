// The review queue of the user's stage: records `submitted` and waiting at the county, city or
// province stage, oldest submission first (the province's by city and recommendation priority).

import { get, query } from '../api.js';
import { field, h, replace, run, select, statusLine, table } from '../dom.js';
import { date, instant, label, num, STAGES } from '../format.js';
import { LEVELS, milestoneTypes, names } from '../reference.js';

const STAGE_OF = { county_reviewer: 'county', city_reviewer: 'city', province_officer: 'province' };

export async function renderQueue(main, { me, go }) {
  const stage = STAGE_OF[me.role];
  const [n, types] = await Promise.all([names(), milestoneTypes()]);
  const typeSel = select({ id: 'queue-type' }, [['', '全部类型'], ...types.map((t) => [t.code, t.name_zh])], '');
  const status = statusLine('queue-status');
  const list = h('div#queue-list');
  const more = h('button.secondary#queue-more', { type: 'button', hidden: true }, '加载更多');
  const count = h('p.count#queue-count');
  const form = h('form.card.inline', {}, field('类型', typeSel), h('div.actions', {}, h('button', { type: 'submit' }, '筛选')), status);
  replace(main, h('h2', {}, `待审核（${label(STAGES, stage)}）`), form, count, list, more);

  let items = [];
  let cursor = null;

  const columns = [
    { title: '企业', value: (m) => h('span', {}, m.enterprise_name, h('br'), h('small', {}, m.enterprise_uscc)) },
    { title: '区县', value: (m) => `${n.division(m.city_code)} ${n.division(m.county_code)}` },
    { title: '类型', value: (m) => `${n.type(m.type)}${m.level ? `（${label(LEVELS, m.level)}）` : ''}` },
    { title: '名称', value: (m) => m.title },
    { title: '生效日期', value: (m) => date(m.effective_on) },
    { title: '提交时间', value: (m) => instant(m.submitted_at) },
    stage === 'province' ? { title: '推荐顺序', className: 'num', value: (m) => num(m.priority) } : null,
    { title: '操作', value: (m) => h('button.link', { type: 'button', dataset: { open: m.id }, onclick: () => go(`record/${m.id}`) }, '审核') },
  ].filter(Boolean);

  async function load(append) {
    const params = { state: 'submitted', stage, type: typeSel.value, limit: 50, cursor: append ? cursor : '' };
    if (stage !== 'province') params.sort = 'submitted_at';
    await run(more, status, '正在加载…', async () => {
      const page = await get(`/milestones${query(params)}`);
      items = append ? items.concat(page.items) : page.items;
      cursor = page.next_cursor;
      count.textContent = `共 ${num(page.total)} 条待审核`;
      replace(list, table(columns, items, { rowAttrs: (m) => ({ dataset: { id: m.id } }), empty: '没有待审核的记录' }));
      more.hidden = !cursor;
      return '';
    });
  }

  form.addEventListener('submit', (e) => { e.preventDefault(); load(false); });
  more.addEventListener('click', () => load(true));
  await load(false);
}
