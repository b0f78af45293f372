// Official lists (名单): choose a CSV or XLSX file, check it (dry run, nothing written), read
// the report, then import it; and the reports of earlier imports.

import { ApiError, call, get } from '../api.js';
import { field, h, replace, run, statusLine, table } from '../dom.js';
import { instant, num } from '../format.js';

const FIELDS = { uscc: '统一社会信用代码', name: '企业名称', county_code: '区县代码', type: '类型', level: '级别', effective_on: '认定日期', document_no: '文号', batch: '批次', title: '项目名称' };
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function reportView(r) {
  return h('div.card#import-report', {},
    h('h3', {}, r.dry_run ? '检查结果（未写入）' : '导入结果'),
    h('dl.facts', {},
      h('dt', {}, '数据行'), h('dd', {}, num(r.rows)),
      h('dt', {}, '新建企业'), h('dd', {}, num(r.created_enterprises)),
      h('dt', {}, '新建记录'), h('dd', {}, num(r.created_records)),
      h('dt', {}, '重复行'), h('dd', {}, num(r.duplicates)),
      h('dt', {}, '错误'), h('dd#import-error-count', {}, num(r.error_count)),
      h('dt', {}, 'SHA-256'), h('dd', {}, h('code', {}, r.file_sha256))),
    r.errors.length ? table([
      { title: '行号', className: 'num', value: (e) => num(e.row) },
      { title: '字段', value: (e) => FIELDS[e.field] || e.field },
      { title: '问题', value: (e) => e.message },
    ], r.errors, { caption: r.error_count > r.errors.length ? `前 ${num(r.errors.length)} 条错误` : '错误明细' }) : null);
}

export async function renderImports(main) {
  const file = h('input#import-file', { type: 'file', accept: '.csv,.xlsx,text/csv' });
  const check = h('button#import-check', { type: 'button' }, '检查（不写入）');
  const apply = h('button#import-apply', { type: 'button', disabled: true }, '正式导入');
  const status = statusLine('import-status');
  const result = h('div#import-result');
  const history = h('div#import-history');
  replace(main, h('h2', {}, '名单导入'),
    h('div.card', {}, h('p', {}, '上传省级认定名单（CSV UTF-8 或 Excel .xlsx，首行为表头）。先检查，无错误后再正式导入；同一文件重复导入不会重复写入。'),
      field('名单文件', file), h('div.actions', {}, check, apply), status),
    result, history);
  let checked = null;

  async function send(dryRun) {
    const f = file.files[0];
    if (!f) throw new Error('请先选择文件。');
    const type = /\.xlsx$/i.test(f.name) ? XLSX : 'text/csv';
    try {
      return (await call('POST', `/imports?dry_run=${dryRun}`, { raw: f, headers: { 'Content-Type': type } })).body;
    } catch (err) {
      if (err instanceof ApiError && err.body.report) {
        replace(result, reportView(err.body.report));
      }
      throw err;
    }
  }
  async function loadHistory() {
    const page = await get('/imports?limit=20');
    replace(history, h('div.card', {}, h('h3', {}, '已导入的名单'), table([
      { title: '时间', value: (r) => instant(r.created_at) },
      { title: '数据行', className: 'num', value: (r) => num(r.rows) },
      { title: '新建记录', className: 'num', value: (r) => num(r.created_records) },
      { title: '新建企业', className: 'num', value: (r) => num(r.created_enterprises) },
      { title: '重复', className: 'num', value: (r) => num(r.duplicates) },
      { title: 'SHA-256', value: (r) => h('code', {}, r.file_sha256.slice(0, 16)) },
    ], page.items, { empty: '尚无导入记录' })));
  }

  file.addEventListener('change', () => { checked = null; apply.disabled = true; replace(result); });
  check.addEventListener('click', async () => {
    replace(result);
    const r = await run(check, status, '正在检查…', async () => {
      const report = await send(true);
      replace(result, reportView(report));
      return report.error_count ? '名单有错误，请修改后重新检查。' : '检查通过，可以正式导入。';
    });
    checked = r ? file.files[0] : null;
    apply.disabled = !checked;
  });
  apply.addEventListener('click', async () => {
    const ok = await run(apply, status, '正在导入…', async () => {
      const report = await send(false);
      replace(result, reportView(report));
      return `导入完成：新建 ${num(report.created_records)} 条记录。`;
    });
    if (ok) {
      apply.disabled = true;
      await loadHistory();
    }
  });
  await run(null, status, '正在加载…', async () => { await loadHistory(); return ''; });
}
