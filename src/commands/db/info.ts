import {existsSync, statSync} from 'node:fs'
import {BaseCommand} from '../../base-command.js'
import {maintenanceRepository} from '../../db/repositories/maintenance.js'

const sizeOf = (file: string) => (existsSync(file) ? statSync(file).size : 0)
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`

export default class DbInfo extends BaseCommand<typeof DbInfo> {
  static override summary = 'The database: its path, schema version, size, what it holds, the last import and run.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --db branch.db --json']

  async run(): Promise<Record<string, unknown>> {
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
        `${zh ? '最近导入' : 'last import'}   ${info.lastImport ? `${info.lastImport.at} ${info.lastImport.kind} ${info.lastImport.file} (${n(info.lastImport.read)} rows, ${info.lastImport.status})` : '—'}`,
        `${zh ? '最近分层' : 'last run'}      ${info.lastRun ? `run ${info.lastRun.id} ${info.lastRun.scheme} as of ${info.lastRun.asOf} (${n(info.lastRun.customers)} customers, ${info.lastRun.at})` : '—'}`,
      ].join('\n'))
    }
    return {path: this.dbPath, schema_version: info.schemaVersion, size_bytes: size.file, wal_bytes: size.wal, counts: info.counts,
      last_import: info.lastImport, last_run: info.lastRun}
  }
}
