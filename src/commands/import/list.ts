import {BaseCommand, type Streamed, TABLE_ROWS} from '../../base-command.js'
import {importHistoryRepository} from '../../db/repositories/import-history.js'
import {type BatchJson, batchListView} from '../../io/import-views.js'
import {limitFlag} from '../../flags.js'
import {say} from '../../core/messages.js'

/** Under --json: the import batches, newest first. */
export type ImportListResult = Streamed<BatchJson[]>

export default class ImportList extends BaseCommand<typeof ImportList, ImportListResult> {
  static override summary =
    'List import batches, newest first: file, counts and status (complete, interrupted, undone).'
  static override description =
    'On a terminal the table shows the newest 100 batches unless --limit is given; piped or with --json every ' +
    'batch is printed, as it is read.'

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --limit 5',
    '<%= config.bin %> <%= command.id %> --format csv > imports.csv',
  ]
  static override flags = {
    limit: limitFlag('batches'),
  }

  async run(): Promise<ImportListResult> {
    const {limit, cut} = this.rowLimit(this.flags.limit)
    const history = importHistoryRepository(this.db())
    let shown = 0
    const batches = history.list(limit)
    const counted = (function* () {
      for (const b of batches) {
        shown++
        yield b
      }
    })()
    await this.printRows(counted, batchListView(this.lang))
    if (shown === 0) this.note(say(this.lang, 'noImportsToList'))
    const total = cut(shown) ? history.count() : 0
    if (total > TABLE_ROWS)
      this.note(say(this.lang, 'showingNewestImports', {shown: TABLE_ROWS, total: total.toLocaleString('en-US')}))
  }
}
