// The bar chart of cities' completion rate against the 序时进度 line (Apache ECharts, vendored,
// loaded on first use so that the login page stays light).

import { h } from '../dom.js';
import { pct } from '../format.js';

let current = null;
let echartsModule = null;

async function echarts() {
  if (!echartsModule) echartsModule = await import('../../vendor/echarts/echarts.esm.min.js');
  return echartsModule;
}

window.addEventListener('resize', () => { if (current) current.resize(); });

/**
 * Draws `rows` ({name_zh, completion_rate}) into a new element and returns it; `timeProgress`
 * (a fraction, or null for cumulative indicators) is drawn as a horizontal line.
 */
export async function completionChart(rows, timeProgress, title) {
  const lib = await echarts();
  if (current) current.dispose();
  const el = h('div.chart#progress-chart', { role: 'img', 'aria-label': `${title}：各市完成率柱状图` });
  const percent = (v) => (v === null || v === undefined ? null : Math.round(v * 10000) / 100);
  const series = {
    name: '完成率', type: 'bar', data: rows.map((r) => percent(r.completion_rate)),
    itemStyle: { color: '#1f5fa8' },
    label: { show: true, position: 'top', formatter: (p) => (p.value === null ? '' : `${p.value.toFixed(2)}%`), fontSize: 10 },
  };
  if (timeProgress !== null && timeProgress !== undefined) {
    series.markLine = {
      symbol: 'none', lineStyle: { color: '#c0392b', type: 'dashed', width: 2 },
      label: { formatter: `序时进度\n${pct(timeProgress)}`, position: 'end', color: '#c0392b' },
      data: [{ yAxis: percent(timeProgress) }],
    };
  }
  // Mounted before init so that ECharts can measure it; the caller inserts it at once.
  requestAnimationFrame(() => {
    current = lib.init(el, null, { renderer: 'canvas', locale: 'ZH' });
    current.setOption({
      animation: false,
      aria: { enabled: true },
      // richText: the tooltip is drawn on the canvas, not written as HTML with inline styles,
      // which the console's Content-Security-Policy would refuse.
      tooltip: { trigger: 'axis', renderMode: 'richText', valueFormatter: (v) => (v === null ? '—' : `${v.toFixed(2)}%`) },
      grid: { left: 56, right: 72, top: 32, bottom: 56 },
      xAxis: { type: 'category', data: rows.map((r) => r.name_zh), axisLabel: { interval: 0, rotate: el.clientWidth / rows.length < 64 ? 35 : 0 } },
      yAxis: { type: 'value', name: '完成率（%）', axisLabel: { formatter: '{value}%' } },
      series: [series],
    });
  });
  return el;
}
