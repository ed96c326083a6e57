import {BaseCommand} from '../../base-command.js'
import {classificationRepository} from '../../db/repositories/classifications.js'
import {notFound} from '../../errors.js'
import {idArg} from '../../flags.js'
import {en, say} from '../../core/messages.js'

export type ClassifyDeleteResult = {readonly deleted: number}

export default class ClassifyDelete extends BaseCommand<typeof ClassifyDelete, ClassifyDeleteResult> {
  static override summary = 'Delete a stored run and its results.'
  static override examples = ['<%= config.bin %> <%= command.id %> 12']
  static override args = {
    run: idArg(en('theRunNumber'), 'the run number (crm classify runs)', 'list runs with: crm classify runs'),
  }

  async run(): Promise<ClassifyDeleteResult> {
    const deleted = classificationRepository(this.db()).delete(this.args.run, {
      actor: this.actor,
      command: this.commandLine,
    })
    if (!deleted) notFound(`no classification run ${this.args.run}`, 'list runs with: crm classify runs')
    this.note(say(this.lang, 'deletedRun', {id: this.args.run}))
    return {deleted: this.args.run}
  }
}
