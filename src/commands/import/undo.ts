import {Flags} from '@oclif/core'
import {BaseCommand} from '../../base-command.js'
import {en} from '../../core/messages.js'
import {idArg} from '../../flags.js'
import {type UndoJson, undoJson, undoText} from '../../io/import-views.js'
import {undoImport} from '../../services/import-undo.js'

export type ImportUndoResult = UndoJson

export default class ImportUndo extends BaseCommand<typeof ImportUndo, ImportUndoResult> {
  static override summary = 'Undo an import batch: remove what it added, put back what it changed, reopen follow-ups.'
  static override description =
    'In one transaction, audited. Refused when customers of the batch changed after it (a later import, an edit, ' +
    'a delete or erase, a contact, a classification run), naming them, unless --force. An undone batch stays in ' +
    'crm import list as undone and cannot be undone again.'

  static override examples = [
    '<%= config.bin %> <%= command.id %> 7 --dry-run',
    '<%= config.bin %> <%= command.id %> 7',
    '<%= config.bin %> <%= command.id %> 7 --force --json',
  ]
  static override args = {
    batch: idArg(en('theBatchNumber'), 'the batch number (crm import list)', en('seeImportList')),
  }
  static override flags = {
    force: Flags.boolean({
      summary: 'Undo even when customers of the batch changed after it (overwrites those changes).',
    }),
    'dry-run': Flags.boolean({summary: 'Say what the undo would do, and change nothing.'}),
  }

  async run(): Promise<ImportUndoResult> {
    const result = undoImport(this.db(), {
      batch: this.args.batch,
      force: this.flags.force === true,
      dryRun: this.flags['dry-run'] === true,
      actor: this.actor,
      command: this.commandLine,
    })
    if (!this.jsonEnabled()) this.log(undoText(result, this.lang))
    return undoJson(result)
  }
}
