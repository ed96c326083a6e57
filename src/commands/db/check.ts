import {BaseCommand} from '../../base-command.js'
import {maintenanceRepository} from '../../db/repositories/maintenance.js'
import {ExitCode, restoreHint, UserError} from '../../errors.js'
import {en, say} from '../../core/messages.js'

/** A damaged database is an error (exit 3), so a result is always ok, with no problems. */
export type DbCheckResult = {readonly ok: boolean; readonly problems: string[]}

export default class DbCheck extends BaseCommand<typeof DbCheck, DbCheckResult> {
  static override summary =
    "Check the database's integrity (SQLite's integrity and foreign-key checks; " +
    'on PostgreSQL, what its constraints do not rule out); exit 3 when it fails.'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --db backup-2026-11-28.db',
  ]

  async run(): Promise<DbCheckResult> {
    const problems = maintenanceRepository(this.readOnlyDb()).check()
    if (problems.length > 0) {
      throw new UserError(
        `${this.dbPath} is damaged: it failed its integrity check:\n  ${problems
          .slice(0, 20)
          .join('\n  ')}${problems.length > 20 ? `\n  … and ${problems.length - 20} more` : ''}`,
        ExitCode.BadInput,
        this.target.kind === 'postgres' ? en('pgRestoreBackup') : restoreHint(this.dbPath),
      )
    }
    this.note(say(this.lang, 'databaseOk', {file: this.dbPath}))
    return {ok: true, problems}
  }
}
