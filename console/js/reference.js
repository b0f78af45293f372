// Reference data every page needs (public, cached for the tab's life): divisions, milestone
// types, plans and indicators.

import { get } from './api.js';

const cache = new Map();

function once(key, load) {
  if (!cache.has(key)) cache.set(key, load().catch((e) => { cache.delete(key); throw e; }));
  return cache.get(key);
}

export const cities = () => once('cities', async () => (await get('/divisions?level=city')).items);
export const counties = () => once('counties', async () => (await get('/divisions?level=county')).items);
export const milestoneTypes = () => once('types', async () => (await get('/milestone-types')).items);
export const plans = () => once('plans', async () => (await get('/plans')).items);
export const indicators = (plan) => once(`indicators:${plan}`, async () => (await get(`/indicators?plan=${encodeURIComponent(plan)}`)).items);

/** code → Chinese name, for divisions and milestone types. */
export async function names() {
  const [c, k, t] = await Promise.all([cities(), counties(), milestoneTypes()]);
  const divisions = new Map([...c, ...k].map((d) => [d.code, d.name_zh]));
  const types = new Map(t.map((m) => [m.code, m]));
  return {
    division: (code) => divisions.get(code) || code || '—',
    type: (code) => (types.get(code) || {}).name_zh || code,
    typeInfo: (code) => types.get(code),
  };
}

/** Level codes in Chinese. */
export const LEVELS = {
  on_cloud: '上云', deep_cloud_use: '深度用云', benchmark: '上云标杆', pilot: '试点', named: '命名', provincial: '省级',
  national: '国家级', foundational: '基础性', industry: '行业级', regional: '区域级', enterprise: '企业级',
  national_cross_sector: '国家级跨行业跨领域', user: '应用企业', deep_application_demo: '深度应用示范', pool: '培育库',
  recognised: '认定', standard: '一般', key: '重点', product: '产品', a_share: 'A股', hk: '港股', overseas: '境外', quasi: '准独角兽', unicorn: '独角兽',
};
