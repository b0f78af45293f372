// Which pages each role sees, in menu order (the first is the landing page). Pages without a
// title are reached from others (a record's detail).

import { renderAudit } from './audit.js';
import { renderClients } from './clients.js';
import { renderDelegations } from './delegations.js';
import { renderEnterprises } from './enterprises.js';
import { renderImports } from './imports.js';
import { renderMyRecords } from './my-records.js';
import { renderProgress } from './progress.js';
import { renderQueue } from './queue.js';
import { renderRecord } from './record.js';
import { renderTargets } from './targets.js';

const record = { path: 'record', render: renderRecord };

export function pagesFor(role) {
  switch (role) {
    case 'province_officer':
      return [
        { path: 'progress', title: '进度统计', render: renderProgress },
        { path: 'queue', title: '省级审定', render: renderQueue },
        { path: 'targets', title: '城市目标', render: renderTargets },
        { path: 'imports', title: '名单导入', render: renderImports },
        record,
      ];
    case 'city_reviewer':
    case 'county_reviewer':
      return [
        { path: 'queue', title: '待审核', render: renderQueue },
        { path: 'enterprises', title: '企业', render: renderEnterprises },
        { path: 'progress', title: '统计', render: renderProgress },
        record,
      ];
    case 'enterprise':
      return [
        { path: 'records', title: '我的申报', render: renderMyRecords },
        { path: 'delegations', title: '委托服务商', render: renderDelegations },
        { path: 'clients', title: '接口客户端', render: renderClients },
        record,
      ];
    case 'auditor':
      return [{ path: 'audit', title: '审计日志', render: renderAudit }];
    default:
      return [];
  }
}
