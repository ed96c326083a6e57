import {BaseCommand, type Streamed, TABLE_ROWS} from '../../base-command.js'
import {classificationRepository} from '../../db/repositories/classifications.js'
import {type RunRecord, runListView} from '../../io/classify-views.js'
import {limitFlag} from '../../flags.js'
import {say} from '../../core/messages.js'

/** Under --json: the runs, newest first. */
export type ClassifyRunsResult = Streamed<RunRecord[]>

export default class ClassifyRuns extends BaseCommand<typeof ClassifyRuns, ClassifyRunsResult> {
  static override summary = 'List stored classification runs, newest first.'
  static override description =
    'On a terminal the table shows the newest 100 runs unless --limit is given; piped or with --json every ' +
    'run is printed.'

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --limit 10',
    '<%= config.bin %> <%= command.id %> --json',
  ]
  static override flags = {
    limit: limitFlag('runs'),
  }

  async run(): Promise<ClassifyRunsResult> {
    const {limit, cut} = this.rowLimit(this.flags.limit)
    const repository = classificationRepository(this.db())
    const runs = repository.list(limit)
    if (runs.length === 0) this.note(say(this.lang, 'noRunsToList'))
    if (runs.length > 0 || this.format !== 'table' || this.jsonEnabled())
      await this.printRows(runs, runListView(this.lang))
    const total = cut(runs.length) ? repository.count() : 0
    if (total > TABLE_ROWS)
      this.note(say(this.lang, 'showingNewestRuns', {shown: TABLE_ROWS, total: total.toLocaleString('en-US')}))
  }
}
