import {statSync} from 'node:fs'
import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../base-command.js'
import {maintenanceRepository} from '../../db/repositories/maintenance.js'
import {ExitCode, UserError} from '../../errors.js'
import {checkTarget, createAtomic, databaseFiles, takeSignals} from '../../io/files.js'
import {en, say} from '../../core/messages.js'

export type DbBackupResult = {readonly backup: string; readonly bytes: number}

export default class DbBackup extends BaseCommand<typeof DbBackup, DbBackupResult> {
  static override summary =
    'Copy the database to FILE while it stays in use: a consistent copy even while another crm writes.'
  static override description =
    'The copy is taken in one read transaction, so it holds every import batch and run that had committed ' +
    'when it began and none that had not. It is written to a temporary file beside FILE and renamed into ' +
    'place when complete, so an interrupted backup leaves no partial file. A missing folder is created; the ' +
    'file is readable by its owner only. FILE may not be the database itself. A PostgreSQL book is backed up ' +
    'by pg_dump (its schema, in the custom format pg_restore reads), which must be on PATH.'

  static override examples = ['<%= config.bin %> <%= command.id %> backups/crm-2026-11-28.db']
  static override args = {
    file: Args.string({
      description: 'where to write the copy (it must not exist yet, unless --force)',
      required: true,
      ignoreStdin: true,
    }),
  }
  static override flags = {force: Flags.boolean({summary: 'Replace FILE if it exists.'})}

  async run(): Promise<DbBackupResult> {
    const {args, flags} = this
    if (args.file.trim() === '')
      throw new UserError(en('backupNeedsName'), ExitCode.Usage, 'crm db backup backups/crm-2026-11-28.db')
    const rules = {
      protect: databaseFiles(this.dbPath),
      force: flags.force,
      another: en('anotherBackup'),
    }
    checkTarget(args.file, rules)
    const db = this.db()
    const file = createAtomic(args.file, rules)
    try {
      maintenanceRepository(db).backupTo(file.temp)
      await takeSignals()
      file.commit()
    } catch (error) {
      file.abort()
      if (error instanceof UserError) throw error
      throw new UserError(
        `cannot write the backup ${args.file}: ${(error as Error).message}`,
        ExitCode.BadInput,
        'check that there is room on the disk and you may write there',
      )
    }
    this.audit('db.backup', {file: args.file})
    const bytes = statSync(file.path).size
    this.note(
      say(this.lang, 'backedUp', {file: this.dbPath, target: args.file, size: (bytes / 1024 / 1024).toFixed(1)}),
    )
    return {backup: args.file, bytes}
  }
}
