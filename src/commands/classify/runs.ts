import {BaseCommand} from '../../base-command.js'
import {classificationRepository} from '../../db/repositories/classifications.js'
import {runListView} from '../../io/classify-views.js'

export default class ClassifyRuns extends BaseCommand<typeof ClassifyRuns> {
  static override summary = 'List stored classification runs, newest first.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']

  async run(): Promise<void> {
    const runs = classificationRepository(this.db()).list()
    if (runs.length === 0) this.note('no runs yet: classify with crm classify --scheme retail-aum')
    if (runs.length > 0 || this.format !== 'table' || this.jsonEnabled()) await this.printRows(runs, runListView(this.lang))
  }
}
