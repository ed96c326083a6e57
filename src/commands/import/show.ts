import {BaseCommand} from '../../base-command.js'
import {importHistoryRepository, type StoredReject} from '../../db/repositories/import-history.js'
import {type BatchJson, batchJson, batchText} from '../../io/import-views.js'
import {en} from '../../core/messages.js'
import {notFound} from '../../errors.js'
import {idArg} from '../../flags.js'

/** Under --json: the batch, with the reject examples its import recorded (null when it recorded none). */
export type ImportShowResult = BatchJson & {readonly reject_examples: readonly StoredReject[] | null}

export default class ImportShow extends BaseCommand<typeof ImportShow, ImportShowResult> {
  static override summary = 'Show one import batch: its file, counts, status and the first rejected rows.'
  static override examples = ['<%= config.bin %> <%= command.id %> 3', '<%= config.bin %> <%= command.id %> 3 --json']
  static override args = {
    batch: idArg(en('theBatchNumber'), 'the batch number (crm import list)', en('seeImportList')),
  }

  async run(): Promise<ImportShowResult> {
    const history = importHistoryRepository(this.db())
    const batch =
      history.find(this.args.batch) ?? notFound(en('batchNotFound', {batch: this.args.batch}), en('seeImportList'))
    const rejects = history.rejectExamples(batch.id)
    if (!this.jsonEnabled()) this.log(batchText(batch, rejects, this.lang))
    return {...batchJson(batch), reject_examples: rejects}
  }
}
