// Enterprises in the reviewer's region: search, and verify self-registered ones (a city
// reviewer of their city; until then they cannot submit records).

import { get, post, query } from '../api.js';
import { field, h, replace, run, select, statusLine, table } from '../dom.js';
import { instant } from '../format.js';
import { names } from '../reference.js';

const SIZES = { large: '大型', medium: '中型', small: '小型', micro: '微型' };
const VIA = { official: '经信部门登记', self: '企业自行注册', official_list: '名单导入' };

export async function renderEnterprises(main, { me }) {
  const n = await names();
  const q = h('input#enterprise-q', { maxlength: 100, placeholder: '名称或统一社会信用代码' });
  const verified = select({ id: 'enterprise-verified' }, [['false', '待核验'], ['', '全部'], ['true', '已核验']], 'false');
  const status = statusLine('enterprises-status');
  const list = h('div#enterprise-list');
  const more = h('button.secondary', { type: 'button', hidden: true }, '加载更多');
  const form = h('form.card.inline', {}, field('搜索', q), field('核验状态', verified), h('div.actions', {}, h('button', { type: 'submit' }, '查询')), status);
  replace(main, h('h2', {}, '企业'), form, list, more);
  let items = [];
  let cursor = null;

  const verify = (e, ent) => run(e.target, status, '正在核验…', async () => {
    await post(`/enterprises/${ent.id}/verify`, {});
    await load(false);
    return `已核验：${ent.name}`;
  });

  const columns = [
    { title: '企业名称', value: (e) => e.name },
    { title: '统一社会信用代码', value: (e) => e.uscc },
    { title: '所在地', value: (e) => `${n.division(e.city_code)} ${n.division(e.county_code)}` },
    { title: '规模', value: (e) => SIZES[e.size_class] || '—' },
    { title: '联系人', value: (e) => `${e.contact_name} ${e.contact_phone}` },
    { title: '来源', value: (e) => VIA[e.registered_via] || e.registered_via },
    { title: '核验', value: (e) => (e.verified ? `已核验 ${instant(e.verified_at)}`
      : me.role === 'city_reviewer' ? h('button', { type: 'button', dataset: { verify: e.id }, onclick: (ev) => verify(ev, e) }, '核验通过') : '待核验') },
  ];

  async function load(append) {
    await run(null, status, '正在加载…', async () => {
      const page = await get(`/enterprises${query({ q: q.value.trim(), verified: verified.value, limit: 50, cursor: append ? cursor : '' })}`);
      items = append ? items.concat(page.items) : page.items;
      cursor = page.next_cursor;
      more.hidden = !cursor;
      replace(list, table(columns, items, { rowAttrs: (e) => ({ dataset: { id: e.id } }), empty: '没有符合条件的企业' }));
      return '';
    });
  }
  form.addEventListener('submit', (e) => { e.preventDefault(); load(false); });
  more.addEventListener('click', () => load(true));
  await load(false);
}
