import {existsSync, statSync} from 'node:fs'
import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../base-command.js'
import {auditRepository} from '../../db/repositories/audit.js'
import {maintenanceRepository} from '../../db/repositories/maintenance.js'
import {ExitCode, UserError} from '../../errors.js'
import {ownerOnlyFile} from '../../io/files.js'

export default class DbBackup extends BaseCommand<typeof DbBackup> {
  static override summary = 'Copy the database to FILE while it stays in use: a consistent copy even while another crm writes.'
  static override description = 'The copy is taken in one read transaction, so it holds every import batch and run that had committed when it began and none that had not. The file is created readable by its owner only.'
  static override examples = ['<%= config.bin %> <%= command.id %> backups/crm-2026-11-28.db']
  static override args = {file: Args.string({description: 'where to write the copy (it must not exist yet)', required: true})}
  static override flags = {force: Flags.boolean({summary: 'Replace FILE if it exists.'})}

  async run(): Promise<{backup: string; bytes: number}> {
    const {args, flags} = this
    if (existsSync(args.file) && !flags.force) throw new UserError(`${args.file} already exists`, ExitCode.Usage, 'choose another name, or add --force to replace it')
    const db = this.existingDb()
    ownerOnlyFile(args.file)
    try {
      maintenanceRepository(db).backupTo(args.file)
    } catch (error) {
      throw new UserError(`cannot write the backup ${args.file}: ${(error as Error).message}`, ExitCode.BadInput, 'check that the folder exists and there is room on the disk')
    }
    auditRepository(db).record({actor: this.actor, command: this.commandLine, action: 'db.backup', details: {file: args.file}})
    const bytes = statSync(args.file).size
    this.note(`backed up ${this.dbPath} to ${args.file} (${(bytes / 1024 / 1024).toFixed(1)} MB)`)
    return {backup: args.file, bytes}
  }
}
