import {Flags} from '@oclif/core'
import {BaseCommand, type Streamed} from '../../base-command.js'
import {addDays} from '../../core/dates.js'
import type {DueFollowUp} from '../../core/contact.js'
import type {LapsedCadence} from '../../core/runs.js'
import {contactRepository} from '../../db/repositories/contacts.js'
import {classificationRepository} from '../../db/repositories/classifications.js'
import {
  DUE_KEYS,
  dueLines,
  dueRecord,
  type DueRecord,
  firstOf,
  LAPSED_SHOWN,
  lapsedRecord,
  type Shown,
} from '../../io/contact-views.js'
import {Rows, TABLE_PAGE, writeDocument, writeLines} from '../../io/row-writer.js'
import {CONTACT_FILTER_FLAGS, DAYS_RANGE, wholeFlag} from '../../flags.js'

/** Under --json: the day looked from, the days ahead, and each section's follow-ups or lapsed cadences. */
export type ContactDueResult = Streamed<{
  readonly date: string
  readonly days: number
  readonly overdue: DueRecord[]
  readonly lapsed_cadence: DueRecord[]
  readonly due_today: DueRecord[]
  readonly upcoming: DueRecord[]
}>

export default class ContactDue extends BaseCommand<typeof ContactDue, ContactDueResult> {
  static override summary = 'Open follow-ups that are due: overdue, due today, and upcoming.'
  static override description =
    "Overdue also lists customers whose tier's contact cadence has lapsed: customers whose tier (each customer's " +
    'newest run of a scheme that classified it) has cadence_days, last contacted longer ago than that, or never. ' +
    'Closed customers are never listed. Exits 0 whether or not anything is due.'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --rm RM0812 --days 14',
    '<%= config.bin %> <%= command.id %> --date 2026-12-01 --branch 浦东支行 --json',
  ]
  static override flags = {
    date: Flags.string({summary: 'The day to look from (default: today).'}),
    days: wholeFlag(DAYS_RANGE)({summary: 'How many days ahead count as upcoming (up to 3650).', default: 7}),
    rm: Flags.string({summary: 'Only customers of this manager.'}),
    branch: CONTACT_FILTER_FLAGS.branch,
  }

  /** Rows are written as they are read (under --json too, so nothing is returned for oclif to print). */
  async run(): Promise<ContactDueResult> {
    const {flags} = this
    const date = this.dateFlag('date', flags.date)
    const filter = this.matchFilters(this.db(), {rm: flags.rm, branch: flags.branch})
    const contacts = contactRepository(this.db())
    // Generators, so each query starts only when its rows are wanted: one statement streams at a time.
    const due = function* (from: string | null, until: string) {
      yield* contacts.eachDue(from, until, filter)
    }
    const overdue = () => due(null, addDays(date, -1))
    const today = () => due(date, date)
    const upcoming = () => due(addDays(date, 1), addDays(date, flags.days))
    const lapsed = () => classificationRepository(this.db()).eachLapsedCadence(date, filter)
    if (this.jsonEnabled()) {
      const follow = (r: DueFollowUp) => dueRecord(r, date)
      await writeDocument({
        date,
        days: flags.days,
        overdue: new Rows(overdue(), follow),
        lapsed_cadence: new Rows(lapsed(), (r: LapsedCadence) => lapsedRecord(r, date)),
        due_today: new Rows(today(), follow),
        upcoming: new Rows(upcoming(), follow),
      })
    } else if (this.format === 'table' || this.flags.format === undefined) {
      // A section's first page is held to lay the lines out by, its count comes from SQL, the rest is read as printed.
      const section = (from: string | null, until: string): Shown<DueFollowUp> => ({
        count: contacts.countDue(from, until, filter),
        head: [...contacts.eachDue(from, until, filter, {limit: TABLE_PAGE})],
        rest: () => contacts.eachDue(from, until, filter, {offset: TABLE_PAGE}),
      })
      const sections = {
        lapsed: firstOf(lapsed(), LAPSED_SHOWN),
        overdue: section(null, addDays(date, -1)),
        today: section(date, date),
        upcoming: section(addDays(date, 1), addDays(date, flags.days)),
      }
      await writeLines(dueLines(sections, date, flags.days, this.lang, this.chalk))
    } else {
      const records = function* () {
        for (const rows of [overdue(), today(), upcoming()]) for (const r of rows) yield dueRecord(r, date)
        for (const r of lapsed()) yield lapsedRecord(r, date)
      }
      await this.printRows(records(), {columns: [], keys: DUE_KEYS, record: (r) => r})
    }
  }
}
