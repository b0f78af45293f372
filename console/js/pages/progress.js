// Statistics: the province's table of 11 cities with the completion-rate chart, the county
// drill-down of a city, and the CSV / XLSX downloads. A city reviewer reads the province table
// and drills into its own city; a county reviewer reads its city's county table.

import { download, get, query } from '../api.js';
import { h, replace, run, statusLine, table } from '../dom.js';
import { date, instant, KINDS, label, num, pct, pp } from '../format.js';
import { completionChart } from './chart.js';
import { statSelectors } from './selectors.js';

const figures = [
  { title: '目标', className: 'num target', value: (r) => num(r.target) },
  { title: '完成数', className: 'num actual', value: (r) => num(r.actual) },
  { title: '完成率', className: 'num rate', value: (r) => pct(r.completion_rate) },
  { title: '序时进度', className: 'num', value: (r) => pct(r.time_progress) },
  { title: '与序时进度差', className: 'num', value: (r) => pp(r.pace_gap_pp) },
  { title: '待审核', className: 'num pending', value: (r) => num(r.pending) },
  { title: '公示中', className: 'num', value: (r) => num(r.in_publicity) },
];

function heading(report) {
  return h('p.report-head', {},
    `${report.name_zh}（${label(KINDS, report.kind)}，单位：${report.unit}）· ${report.year}年 · 截至${date(report.as_of)} · 数据时间 ${instant(report.known_at)}`);
}

function downloadButtons(path, params, name, status) {
  const button = (ext, text) => h(`button.secondary#download-${ext}`, {
    type: 'button',
    onclick: (e) => run(e.target, status, `正在生成${text}…`, async () => {
      const filename = `${name}.${ext}`;
      const size = await download(`${path}.${ext}${query(params)}`, filename);
      return `已下载 ${filename}（${num(size)} 字节）`;
    }),
  }, `下载${text}`);
  return h('div.actions', {}, button('csv', ' CSV'), button('xlsx', ' Excel'));
}

export async function renderProgress(main, { me }) {
  const county = me.role === 'county_reviewer';
  const ownCity = me.city_code || (me.county_code ? `${me.county_code.slice(0, 4)}00` : null);
  const selectors = await statSelectors();
  const show = h('button#progress-load', { type: 'submit' }, '查询');
  const status = statusLine('progress-status');
  const result = h('section#progress-result', { 'aria-live': 'polite' });
  const drill = h('section#drill-down');
  const form = h('form.card.query', {}, selectors.element, h('div.actions', {}, show), status);
  replace(main, h('h2', {}, county ? '本市各区县进度' : '进度统计'), form, result, drill);

  async function showCity(code) {
    const params = selectors.values();
    await run(null, status, '正在加载区县数据…', async () => {
      const report = await get(`/stats/progress/${code}${query(params)}`);
      replace(drill, h('div.card', {},
        h('h3', {}, `${report.city.name_zh} 各区县`), heading(report),
        table([{ title: '区县', value: (r) => r.name_zh }, ...figures], report.counties,
          { rowAttrs: (r) => ({ dataset: { code: r.code } }) }),
        h('table.summary', {}, h('tbody', {}, h('tr', {}, h('th', { scope: 'row' }, '全市合计'), figures.map((c) => h('td', { class: c.className }, c.value(report.city)))))),
        downloadButtons(`/stats/progress/${code}`, params, `${report.city.name_zh}_${report.name_zh}_${report.year}`, status)));
      drill.scrollIntoView({ block: 'nearest' });
      return '';
    });
  }

  async function load() {
    const params = selectors.values();
    if (county) return showCity(ownCity);
    return run(show, status, '正在统计…', async () => {
      const report = await get(`/stats/progress${query(params)}`);
      replace(drill);
      const cityName = (r) => (me.role === 'province_officer' || r.code === ownCity
        ? h('button.link', { type: 'button', onclick: () => showCity(r.code), title: '查看各区县' }, r.name_zh)
        : r.name_zh);
      const cities = table([{ title: '排名', className: 'num', value: (r) => num(r.rank) }, { title: '城市', value: cityName }, ...figures],
        report.cities, { rowAttrs: (r) => ({ dataset: { code: r.code } }), caption: '各市进度（点击城市名查看区县）' });
      const total = h('table.summary', {}, h('tbody', {}, h('tr#province-total', {}, h('th', { scope: 'row' }, '全省'),
        figures.map((c) => h('td', { class: c.className }, c.value(report.province))))));
      const chart = report.tracked
        ? await completionChart(report.cities, report.province.time_progress, report.name_zh)
        : h('p.notice', {}, '该指标未跟踪（没有对应的里程碑类型），仅显示目标。');
      replace(result, h('div.card', {}, heading(report), chart, h('div#progress-table', {}, cities), total,
        downloadButtons('/stats/progress', params, `全省_${report.name_zh}_${report.year}`, status)));
      return '';
    });
  }

  form.addEventListener('submit', (e) => { e.preventDefault(); load(); });
  await load();
}
