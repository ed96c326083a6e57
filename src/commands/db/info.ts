import {existsSync, statSync} from 'node:fs'
import {hostname} from 'node:os'
import {BaseCommand} from '../../base-command.js'
import {instantForJson, instantForPeople} from '../../core/dates.js'
import type {DatabaseInfo, LastAudit, LastImport} from '../../core/database-info.js'
import {maintenanceRepository} from '../../db/repositories/maintenance.js'

const sizeOf = (file: string) => (existsSync(file) ? statSync(file).size : 0)
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`

/** interrupted: killed or stopped, keeping the rows of its last commit; running on another host: this crm cannot tell. */
function importStatus(batch: LastImport, zh: boolean): string {
  if (batch.status !== 'running') return zh ? ({complete: '完成', interrupted: '已中断'}[batch.status] ?? batch.status) : batch.status
  const where = batch.host === null || batch.host === hostname() ? '' : zh ? `于 ${batch.host} ` : ` on ${batch.host}`
  return zh ? `正在${where}运行（进程 ${batch.pid}）` : `running${where} (pid ${batch.pid})`
}

/** An audit entry names --actor (else the OS user) and the OS user that ran it, which entries before schema v6 lack. */
function auditText(entry: LastAudit, zh: boolean): string {
  const osUser = entry.osUser ?? (zh ? '未记录' : 'not recorded')
  const who = `${entry.actor} (${zh ? '系统用户' : 'OS user'} ${osUser})`
  return `${instantForPeople(entry.at)} ${entry.action} ${zh ? '操作人' : 'by'} ${who}`
}

type LastRunRecord = {
  readonly id: number
  readonly scheme: string
  readonly as_of: string
  readonly at: string | null
  readonly customers: number
}

type LastAuditRecord = {
  readonly at: string | null
  readonly action: string
  readonly rows: number
  readonly actor: string
  readonly os_user: string | null
}

/** Times are instants with their offset (instantForJson); an import batch keeps its fields' names. */
export type DbInfoResult = {
  readonly path: string
  readonly schema_version: number
  readonly size_bytes: number
  readonly wal_bytes: number
  readonly counts: DatabaseInfo['counts']
  readonly last_import: (Omit<LastImport, 'at'> & {readonly at: string | null}) | null
  readonly last_run: LastRunRecord | null
  readonly last_audit: LastAuditRecord | null
}

export default class DbInfo extends BaseCommand<typeof DbInfo, DbInfoResult> {
  static override summary = 'The database: its path, schema version, size, what it holds, the last import and run.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --db branch.db --json']

  async run(): Promise<DbInfoResult> {
    const info = maintenanceRepository(this.readOnlyDb()).info()
    const size = {file: sizeOf(this.dbPath), wal: sizeOf(`${this.dbPath}-wal`)}
    if (!this.jsonEnabled()) {
      const zh = this.lang === 'zh'
      const n = (x: number) => x.toLocaleString('en-US')
      this.log([
        `${zh ? '路径' : 'path'}          ${this.dbPath}`,
        `${zh ? '结构版本' : 'schema'}        v${info.schemaVersion}`,
        `${zh ? '大小' : 'size'}          ${mb(size.file)}${size.wal > 0 ? ` (+ ${mb(size.wal)} ${zh ? '预写日志' : 'write-ahead log'})` : ''}`,
        `${zh ? '客户' : 'customers'}     ${n(info.counts.customers)}`,
        `${zh ? '联系记录' : 'contacts'}      ${n(info.counts.contacts)}`,
        `${zh ? '分层运行' : 'runs'}          ${n(info.counts.classification_runs)}`,
        `${zh ? '导入批次' : 'imports'}       ${n(info.counts.import_batches)}`,
        `${zh ? '审计记录' : 'audit log'}     ${n(info.counts.audit_log)}`,
        `${zh ? '最近导入' : 'last import'}   ${info.lastImport ? `${instantForPeople(info.lastImport.at)} ${info.lastImport.kind} ${info.lastImport.file} (${n(info.lastImport.read)} rows, ${importStatus(info.lastImport, zh)})` : '—'}`,
        `${zh ? '最近分层' : 'last run'}      ${info.lastRun ? `run ${info.lastRun.id} ${info.lastRun.scheme} as of ${info.lastRun.asOf} (${n(info.lastRun.customers)} customers, ${instantForPeople(info.lastRun.at)})` : '—'}`,
        `${zh ? '最近审计' : 'last audit'}    ${info.lastAudit ? auditText(info.lastAudit, zh) : '—'}`,
      ].join('\n'))
    }
    const {lastImport, lastRun, lastAudit} = info
    return {path: this.dbPath, schema_version: info.schemaVersion, size_bytes: size.file, wal_bytes: size.wal, counts: info.counts,
      last_import: lastImport && {...lastImport, at: instantForJson(lastImport.at)},
      last_run: lastRun && {id: lastRun.id, scheme: lastRun.scheme, as_of: lastRun.asOf, at: instantForJson(lastRun.at), customers: lastRun.customers},
      last_audit: lastAudit && {at: instantForJson(lastAudit.at), action: lastAudit.action, rows: lastAudit.rows, actor: lastAudit.actor, os_user: lastAudit.osUser}}
  }
}
