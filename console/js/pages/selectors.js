// The plan / indicator / year / as-of selectors shared by the statistics and targets pages.

import { field, h, select } from '../dom.js';
import { today } from '../format.js';
import { indicators, plans } from '../reference.js';

/** The year to show first: the latest dated target not after this year, else this year. */
function defaultYear(indicator) {
  const now = Number(today().slice(0, 4));
  const years = (indicator ? indicator.targets : []).map((t) => t.year).filter((y) => y && y <= now);
  return years.length ? Math.max(...years) : now;
}

/**
 * Builds the selectors into a fieldset and returns { element, values() }; `withAsOf` adds the
 * as-of date. `onChange` runs when the plan or indicator changes the year's default.
 */
export async function statSelectors({ withAsOf = true, idPrefix = 'stat' } = {}) {
  const allPlans = await plans();
  const planSel = select({ id: `${idPrefix}-plan` }, allPlans.map((p) => [p.code, p.name_zh]), allPlans[0] && allPlans[0].code);
  const indSel = h('select', { id: `${idPrefix}-indicator` });
  const year = h('input', { id: `${idPrefix}-year`, type: 'number', min: 2000, max: 2100, step: 1 });
  const asOf = withAsOf ? h('input', { id: `${idPrefix}-as-of`, type: 'date', max: today() }) : null;
  let list = [];

  async function loadIndicators() {
    list = await indicators(planSel.value);
    const preferred = list.find((i) => i.tracked && i.targets.some((t) => t.year)) || list[0];
    indSel.replaceChildren(...list.map((i) => h('option', { value: i.code, selected: i === preferred },
      `${i.name_zh}${i.tracked ? '' : '（未跟踪）'}`)));
    year.value = defaultYear(preferred);
  }
  planSel.addEventListener('change', loadIndicators);
  indSel.addEventListener('change', () => { year.value = defaultYear(list.find((i) => i.code === indSel.value)); });
  await loadIndicators();

  const element = h('fieldset.selectors', {},
    h('legend', {}, '查询条件'),
    field('规划', planSel), field('指标', indSel), field('年度', year),
    asOf ? field('截至日期', asOf, '留空为今天') : null);
  return {
    element,
    values: () => ({ plan: planSel.value, indicator: indSel.value, year: year.value, as_of: asOf ? asOf.value : '' }),
    indicator: () => list.find((i) => i.code === indSel.value),
  };
}
