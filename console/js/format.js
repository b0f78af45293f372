// Chinese display of numbers, rates, dates and the API's codes.

const integer = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 });
const dateTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai', year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false,
});

/** 12345 → "12,345"; null → "—". */
export function num(n) {
  return n === null || n === undefined ? '—' : integer.format(n);
}

/** 0.5642 → "56.42%"; null → "—". */
export function pct(rate) {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(2)}%`;
}

/** 6.42 → "+6.42 个百分点". */
export function pp(points) {
  if (points === null || points === undefined) return '—';
  return `${points > 0 ? '+' : ''}${points.toFixed(2)} 个百分点`;
}

/** "2024-06-30" → "2024年6月30日". */
export function date(iso) {
  if (!iso) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : iso;
}

/** An RFC 3339 instant in Beijing time: "2024年6月30日 14:05". */
export function instant(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}

/** Today in Asia/Shanghai as YYYY-MM-DD. */
export function today() {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  return parts.slice(0, 10);
}

export const STATES = {
  draft: '草稿', submitted: '审核中', returned: '已退回', publicised: '公示中',
  approved: '已认定', rejected: '未通过', withdrawn: '已撤回', revoked: '已撤销',
};
export const STAGES = { county: '区县初审', city: '市级审核', province: '省级审定' };
export const ROLES = {
  enterprise: '企业', city_reviewer: '市经信局审核员', county_reviewer: '区县经信局审核员',
  province_officer: '省经信厅', provider: '服务商', sysadmin: '系统管理员', auditor: '安全审计员', system: '系统',
};
export const ACTIONS = {
  create: '创建', edit: '修改', submit: '提交', withdraw: '撤回', recommend: '推荐', approve: '通过',
  reject: '驳回', return: '退回', object: '公示异议', finalise: '公示期满认定', revoke: '撤销', supersede: '被替代', import: '名单导入',
};
export const KINDS = { cumulative: '累计', increment: '年度新增' };

/** A code's label from a table, the code itself when unknown. */
export function label(table, code) {
  return code === null || code === undefined ? '—' : table[code] || code;
}
