import {Flags} from '@oclif/core'
import {BaseCommand} from '../../base-command.js'
import {addDays, localDateTime, parseDate} from '../../core/dates.js'
import {contactRepository} from '../../db/repositories/contacts.js'
import {flagValue} from '../../errors.js'
import {dueRecord, dueText, groupDue} from '../../io/contact-views.js'

export default class ContactDue extends BaseCommand<typeof ContactDue> {
  static override summary = 'Open follow-ups that are due: overdue, due today, and upcoming.'
  static override description = 'Exits 0 whether or not anything is due.'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --rm RM0812 --days 14',
    '<%= config.bin %> <%= command.id %> --date 2026-12-01 --branch 浦东支行 --json',
  ]
  static override flags = {
    date: Flags.string({summary: 'The day to look from (default: today).'}),
    days: Flags.integer({summary: 'How many days ahead count as upcoming.', default: 7, min: 0}),
    rm: Flags.string({summary: 'Only customers of this manager.'}),
    branch: Flags.string({summary: 'Only customers of this branch.'}),
  }

  async run(): Promise<Record<string, unknown>> {
    const {flags} = this
    const date = flags.date === undefined ? localDateTime(new Date()).slice(0, 10) : flagValue('date', parseDate(flags.date))
    const groups = groupDue(contactRepository(this.db()).due(addDays(date, flags.days), {rm: flags.rm, branch: flags.branch}), date)
    if (!this.jsonEnabled()) {
      if (this.format === 'table' || this.flags.format === undefined) this.log(dueText(groups, date, flags.days, this.lang, this.chalk))
      else this.print([...groups.overdue, ...groups.today, ...groups.upcoming], {columns: [], record: (r) => dueRecord(r, date)})
    }
    const records = (rows: typeof groups.overdue) => rows.map((r) => dueRecord(r, date))
    return {date, days: flags.days, overdue: records(groups.overdue), due_today: records(groups.today), upcoming: records(groups.upcoming)}
  }
}
