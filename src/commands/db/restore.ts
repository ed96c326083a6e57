import {Args} from '@oclif/core'
import {BaseCommand} from '../../base-command.js'
import {ExitCode, UserError} from '../../errors.js'
import {restoreDatabase} from '../../services/restore.js'
import {en, say} from '../../core/messages.js'

export type DbRestoreResult = {
  readonly database: string
  readonly backup: string
  readonly replaced: string | null
  readonly backup_schema_version: number
}

export default class DbRestore extends BaseCommand<typeof DbRestore, DbRestoreResult> {
  static override summary = 'Replace the database with a backup, keeping the replaced database beside it.'
  static override description =
    'The backup is checked first: it must be a crm database that passes SQLite’s integrity check, from this crm ' +
    'or an older one (it is migrated), and not the database itself. Refused while another crm has the database ' +
    'open (an import, a list being read, a backup being taken). The replaced database, its log checkpointed into ' +
    'it, is kept as DB.replaced-<time>; the new one takes its place in one rename, so an interrupted restore ' +
    'leaves the old database or the new one, never a mix. The restored database’s audit log records the restore.'

  static override examples = ['<%= config.bin %> <%= command.id %> backups/crm-2026-11-28.db']
  static override args = {
    backup: Args.string({
      description: 'the backup file (crm db backup writes them)',
      required: true,
      ignoreStdin: true,
    }),
  }

  async run(): Promise<DbRestoreResult> {
    const {args} = this
    if (args.backup.trim() === '')
      throw new UserError(en('restoreNeedsName'), ExitCode.Usage, 'crm db restore backups/crm-2026-11-28.db')
    const target = this.target
    if (target.kind === 'postgres')
      throw new UserError(en('pgRestoreRefused'), ExitCode.Usage, en('pgRestoreHow', {schema: target.schema}))
    const restored = await restoreDatabase({
      db: this.dbPath,
      backup: args.backup,
      actor: this.actor,
      command: this.commandLine,
      now: new Date(),
    })
    const params = {file: restored.database, backup: restored.backup, replaced: restored.replaced ?? ''}
    this.note(say(this.lang, restored.replaced === null ? 'restoredNew' : 'restoredReplacing', params))
    const {database, backup, replaced, backupSchemaVersion} = restored
    return {database, backup, replaced, backup_schema_version: backupSchemaVersion}
  }
}
