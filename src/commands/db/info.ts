import {existsSync, statSync} from 'node:fs'
import {hostname} from 'node:os'
import {BaseCommand} from '../../base-command.js'
import {instantForJson, instantForPeople} from '../../core/dates.js'
import type {DatabaseInfo, LastAudit, LastImport} from '../../core/database-info.js'
import {maintenanceRepository} from '../../db/repositories/maintenance.js'
import {type Lang, type MessageKey, say} from '../../core/messages.js'
import {visible} from '../../core/visible.js'
import {padDisplay} from '../../io/customer-views.js'
import {withThousands} from '../../core/whole-number.js'

const sizeOf = (file: string) => (existsSync(file) ? statSync(file).size : 0)
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`

/**
 * interrupted: killed or stopped, keeping the rows of its last commit; running on another host: this crm cannot tell.
 */
function importStatus(batch: LastImport, lang: Lang): string {
  if (batch.status === 'complete') return say(lang, 'importComplete')
  if (batch.status === 'interrupted') return say(lang, 'importInterrupted')
  if (batch.status !== 'running') return batch.status
  return batch.host === null || batch.host === hostname()
    ? say(lang, 'importRunning', {pid: String(batch.pid)})
    : say(lang, 'importRunningOn', {host: batch.host, pid: String(batch.pid)})
}

/** An audit entry names --actor (else the OS user) and the OS user that ran it, which entries before schema v6 lack. */
function auditText(entry: LastAudit, lang: Lang): string {
  return say(lang, 'auditEntry', {
    at: instantForPeople(entry.at),
    action: entry.action,
    actor: visible(entry.actor),
    osUser: entry.osUser === null ? say(lang, 'notRecorded') : visible(entry.osUser),
  })
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
  /** A SQLite file's size, and its write-ahead log's. */
  readonly size_bytes?: number
  readonly wal_bytes?: number
  /** A PostgreSQL book's server version and schema. */
  readonly server_version?: string
  readonly schema?: string
  readonly counts: DatabaseInfo['counts']
  readonly last_import: (Omit<LastImport, 'at'> & {readonly at: string | null}) | null
  readonly last_run: LastRunRecord | null
  readonly last_audit: LastAuditRecord | null
}

export default class DbInfo extends BaseCommand<typeof DbInfo, DbInfoResult> {
  static override summary = 'The database: its path, schema version, size, what it holds, the last import and run.'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --db branch.db --json',
  ]

  async run(): Promise<DbInfoResult> {
    const info = maintenanceRepository(this.readOnlyDb()).info()
    // A PostgreSQL book has no file of its own: its server and schema instead.
    const {server} = info
    const size = {file: sizeOf(this.dbPath), wal: sizeOf(`${this.dbPath}-wal`)}
    const {lastImport, lastRun, lastAudit} = info
    if (!this.jsonEnabled()) {
      const n = withThousands
      const line = (label: MessageKey, value: string) => `${padDisplay(say(this.lang, label), 13)} ${value}`
      this.log(
        [
          line('infoPath', this.dbPath),
          line('infoSchema', `v${info.schemaVersion}`),
          server
            ? line('infoServer', `PostgreSQL ${server.version}, schema ${server.schema}`)
            : line(
                'infoSize',
                `${mb(size.file)}${size.wal > 0 ? ` (+ ${mb(size.wal)} ${say(this.lang, 'infoWal')})` : ''}`,
              ),
          line('infoCustomers', n(info.counts.customers)),
          line('infoContacts', n(info.counts.contacts)),
          line('infoRuns', n(info.counts.classification_runs)),
          line('infoImports', n(info.counts.import_batches)),
          line('infoAudit', n(info.counts.audit_log)),
          line(
            'infoLastImport',
            lastImport
              ? say(this.lang, 'lastImport', {
                  at: instantForPeople(lastImport.at),
                  kind: lastImport.kind,
                  file: lastImport.file,
                  rows: n(lastImport.read),
                  status: importStatus(lastImport, this.lang),
                })
              : '—',
          ),
          line(
            'infoLastRun',
            lastRun
              ? say(this.lang, 'lastRun', {
                  id: lastRun.id,
                  scheme: lastRun.scheme,
                  asOf: lastRun.asOf,
                  customers: n(lastRun.customers),
                  at: instantForPeople(lastRun.at),
                })
              : '—',
          ),
          line('infoLastAudit', lastAudit ? auditText(lastAudit, this.lang) : '—'),
        ].join('\n'),
      )
    }
    return {
      path: this.dbPath,
      schema_version: info.schemaVersion,
      ...(server
        ? {server_version: server.version, schema: server.schema}
        : {size_bytes: size.file, wal_bytes: size.wal}),
      counts: info.counts,
      last_import: lastImport && {...lastImport, at: instantForJson(lastImport.at)},
      last_run: lastRun && {
        id: lastRun.id,
        scheme: lastRun.scheme,
        as_of: lastRun.asOf,
        at: instantForJson(lastRun.at),
        customers: lastRun.customers,
      },
      last_audit: lastAudit && {
        at: instantForJson(lastAudit.at),
        action: lastAudit.action,
        rows: lastAudit.rows,
        actor: lastAudit.actor,
        os_user: lastAudit.osUser,
      },
    }
  }
}
