import {Flags} from '@oclif/core'
import {BaseCommand} from '../../base-command.js'
import {addDays} from '../../core/dates.js'
import {contactRepository} from '../../db/repositories/contacts.js'
import {classificationRepository} from '../../db/repositories/classifications.js'
import {dueRecord, dueText, groupDue, lapsedRecord} from '../../io/contact-views.js'
import {DAYS_RANGE, wholeFlag} from '../../io/number-flags.js'

export default class ContactDue extends BaseCommand<typeof ContactDue> {
  static override summary = 'Open follow-ups that are due: overdue, due today, and upcoming.'
  static override description = "Overdue also lists customers whose tier's contact cadence has lapsed: in the latest run of each scheme whose tiers have cadence_days, customers last contacted longer ago than that, or never. Exits 0 whether or not anything is due."
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --rm RM0812 --days 14',
    '<%= config.bin %> <%= command.id %> --date 2026-12-01 --branch 浦东支行 --json',
  ]
  static override flags = {
    date: Flags.string({summary: 'The day to look from (default: today).'}),
    days: wholeFlag(DAYS_RANGE)({summary: 'How many days ahead count as upcoming (up to 3650).', default: 7}),
    rm: Flags.string({summary: 'Only customers of this manager.'}),
    branch: Flags.string({summary: 'Only customers of this branch.'}),
  }

  async run(): Promise<Record<string, unknown>> {
    const {flags} = this
    const date = this.dateFlag('date', flags.date)
    const filter = {rm: flags.rm, branch: flags.branch}
    const groups = groupDue(contactRepository(this.db()).due(addDays(date, flags.days), filter), date)
    const lapsed = classificationRepository(this.db()).lapsedCadences(date, filter)
    if (!this.jsonEnabled()) {
      if (this.format === 'table' || this.flags.format === undefined) this.log(dueText(groups, lapsed, date, flags.days, this.lang, this.chalk))
      else this.print([...[...groups.overdue, ...groups.today, ...groups.upcoming].map((r) => dueRecord(r, date)), ...lapsed.map((r) => lapsedRecord(r, date))], {columns: [], record: (r) => r})
    }
    const records = (rows: typeof groups.overdue) => rows.map((r) => dueRecord(r, date))
    return {date, days: flags.days, overdue: records(groups.overdue), lapsed_cadence: lapsed.map((r) => lapsedRecord(r, date)), due_today: records(groups.today), upcoming: records(groups.upcoming)}
  }
}
