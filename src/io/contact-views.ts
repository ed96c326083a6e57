import type {ChalkInstance} from 'chalk'
import {CHANNEL_LABEL, type Channel, PURPOSE_LABEL, type Purpose} from '../core/contact.js'
import {daysBetween, instantForJson} from '../core/dates.js'
import type {ContactRow, DueFollowUp} from '../core/contact.js'
import type {LapsedCadence} from '../core/runs.js'
import {visible} from '../core/visible.js'
import type {View} from './row-writer.js'
import {displayWidth, padDisplay} from './customer-views.js'
import type {Lang} from './terminal.js'
import {say, sayCount} from '../core/messages.js'
import type {OutputOptions} from '../core/customer.js'
import {maskLookalike} from '../core/masking.js'

const NOTE_WIDTH = 40

/** Notes in a table: one line, cut at NOTE_WIDTH characters (JSON and CSV keep them whole). */
function trimmed(text: string | null): string {
  if (text === null) return ''
  const line = visible(text.replace(/\s+/g, ' ').trim())
  return [...line].length > NOTE_WIDTH ? `${[...line].slice(0, NOTE_WIDTH - 1).join('')}…` : line
}

/**
 * A contact's free text (notes, outcome) as output shows it: each ID number, phone or e-mail address in it masked
 * (maskLookalike) unless revealed; stored byte for byte either way.
 */
export function contactText(text: string | null, options: OutputOptions): string | null {
  return text === null || options.reveal ? text : maskLookalike(text)
}

/**
 * The JSON/CSV shape of a contact: canonical field names, notes whole (personal data in them and in the outcome
 * masked unless revealed: contactText); `at` the wall-clock time as logged with its utc_offset beside it (null before
 * crm recorded it: the machine's zone), the instants with their offset.
 */
export function contactRecord(c: ContactRow, options: OutputOptions): ContactRecord {
  return {
    id: c.id,
    customer_id: c.customerId,
    customer_name: c.customerName,
    at: c.at,
    utc_offset: c.utcOffset,
    channel: c.channel,
    direction: c.direction,
    purpose: c.purpose,
    outcome: contactText(c.outcome, options),
    rm: c.rm,
    notes: contactText(c.notes, options),
    follow_up_on: c.followUpOn,
    follow_up_closed_at: instantForJson(c.followUpClosedAt),
    follow_up_closed_by: c.followUpClosedBy,
    logged_at: instantForJson(c.loggedAt),
  }
}

export type ContactRecord = {
  readonly id: number
  readonly customer_id: string
  readonly customer_name: string
  readonly at: string
  readonly utc_offset: string | null
  readonly channel: Channel
  readonly direction: 'in' | 'out'
  readonly purpose: Purpose
  readonly outcome: string | null
  readonly rm: string | null
  readonly notes: string | null
  readonly follow_up_on: string | null
  readonly follow_up_closed_at: string | null
  readonly follow_up_closed_by: number | null
  readonly logged_at: string | null
}

/** The fields of a contact's record, in order. */
export const CONTACT_KEYS: readonly string[] = [
  'id',
  'customer_id',
  'customer_name',
  'at',
  'utc_offset',
  'channel',
  'direction',
  'purpose',
  'outcome',
  'rm',
  'notes',
  'follow_up_on',
  'follow_up_closed_at',
  'follow_up_closed_by',
  'logged_at',
]

export function contactListView(lang: Lang, options: OutputOptions): View<ContactRow> {
  return {
    record: (c) => contactRecord(c, options),
    keys: CONTACT_KEYS,
    columns: [
      {header: 'ID', cell: (c) => String(c.id), align: 'right'},
      {header: say(lang, 'headWhen'), cell: (c) => c.at.replace('T', ' ').slice(0, 16)},
      {header: say(lang, 'headContactCustomer'), cell: (c) => `${c.customerId} ${c.customerName}`},
      {header: say(lang, 'headChannel'), cell: (c) => CHANNEL_LABEL[c.channel as Channel]?.[lang] ?? c.channel},
      {header: say(lang, 'headDirection'), cell: (c) => c.direction},
      {header: say(lang, 'headPurpose'), cell: (c) => PURPOSE_LABEL[c.purpose as Purpose]?.[lang] ?? c.purpose},
      {header: say(lang, 'headRm'), cell: (c) => c.rm ?? ''},
      {
        header: say(lang, 'headFollowUp'),
        cell: (c) => (c.followUpOn === null ? '' : c.followUpClosedAt ? `${c.followUpOn} ✓` : c.followUpOn),
      },
      {header: say(lang, 'headNotes'), cell: (c) => trimmed(contactText(c.notes, options))},
    ],
  }
}

/** A due follow-up (kind follow_up) or a lapsed cadence (kind cadence), in one flat shape for every format. */
export type DueRecord = {
  readonly kind: 'follow_up' | 'cadence'
  readonly contact_id: number | null
  readonly customer_id: string
  readonly customer_name: string
  readonly rm: string | null
  readonly branch: string | null
  readonly follow_up_on: string | null
  readonly days_overdue: number | null
  readonly last_channel: string | null
  readonly last_contact_at: string | null
  readonly scheme: string | null
  readonly tier: string | null
  readonly cadence_days: number | null
  readonly days_since_contact: number | null
}

export function dueRecord(r: DueFollowUp, date: string): DueRecord {
  return {
    kind: 'follow_up',
    contact_id: r.contactId,
    customer_id: r.customerId,
    customer_name: r.customerName,
    rm: r.rm,
    branch: r.branch,
    follow_up_on: r.followUpOn,
    days_overdue: Math.max(daysBetween(r.followUpOn, date), 0),
    last_channel: r.lastChannel,
    last_contact_at: r.lastAt,
    scheme: null,
    tier: null,
    cadence_days: null,
    days_since_contact: null,
  }
}

/** The fields of a due follow-up or lapsed cadence, in order: one shape for both, in every format. */
export const DUE_KEYS: readonly string[] = [
  'kind',
  'contact_id',
  'customer_id',
  'customer_name',
  'rm',
  'branch',
  'follow_up_on',
  'days_overdue',
  'last_channel',
  'last_contact_at',
  'scheme',
  'tier',
  'cadence_days',
  'days_since_contact',
]

/** A lapsed contact cadence, in the same flat shape as a follow-up where the fields agree. */
export function lapsedRecord(r: LapsedCadence, date: string): DueRecord {
  return {
    kind: 'cadence',
    contact_id: null,
    customer_id: r.customerId,
    customer_name: r.customerName,
    rm: r.rm,
    branch: r.branch,
    follow_up_on: null,
    days_overdue: null,
    last_channel: null,
    last_contact_at: r.lastAt,
    scheme: r.scheme,
    tier: r.tier,
    cadence_days: r.cadenceDays,
    days_since_contact: r.lastAt === null ? null : daysBetween(r.lastAt.slice(0, 10), date),
  }
}

/** Lapsed cadences listed on a terminal before "… and N more". */
export const LAPSED_SHOWN = 20

/**
 * Rows of a report section: how many, the first of them (held, to lay the lines out by), and the rest when it is
 * printed.
 */
export interface Shown<T> {
  readonly count: number
  readonly head: readonly T[]
  readonly rest?: () => Iterable<T>
}

/** The first `n` rows, and how many there are, reading them all but holding only those. */
export function firstOf<T>(rows: Iterable<T>, n: number): Shown<T> {
  const head: T[] = []
  let count = 0
  for (const row of rows) if (count++ < n) head.push(row)
  return {count, head}
}

export interface DueSections {
  readonly overdue: Shown<DueFollowUp>
  readonly today: Shown<DueFollowUp>
  readonly upcoming: Shown<DueFollowUp>
  /** Only the first LAPSED_SHOWN are listed. */
  readonly lapsed: Shown<LapsedCadence>
}

/**
 * The due report as a person reads it (screens.md), a line at a time: each section's rows after its first (head) are
 * read as they are printed. Names are padded to the widest among the rows held, as a table is laid out by its first
 * page.
 */
export function* dueLines(
  sections: DueSections,
  date: string,
  days: number,
  lang: Lang,
  c: ChalkInstance,
): Generator<string> {
  const {overdue, today, upcoming} = sections
  const lapsed = sections.lapsed.head.slice(0, LAPSED_SHOWN)
  const nameWidth = Math.max(
    8,
    ...[...overdue.head, ...today.head, ...upcoming.head, ...lapsed].map((r) => displayWidth(r.customerName)),
  )
  const cadenceLine = (r: LapsedCadence) => {
    const since =
      r.lastAt === null
        ? say(lang, 'neverContacted')
        : say(lang, 'lastContactDaysAgo', {days: daysBetween(r.lastAt.slice(0, 10), date)})
    return visible(
      `  ${r.customerId}  ${padDisplay(r.customerName, nameWidth)} ${padDisplay(r.rm ?? '', 8)} ` +
        `${say(lang, 'cadenceLine', {scheme: r.scheme, tier: r.tier, days: r.cadenceDays, since})}`,
    )
  }
  const line = (r: DueFollowUp) => {
    const late = daysBetween(r.followUpOn, date)
    const when =
      late > 0
        ? sayCount(lang, 'followUpLate', late, {date: r.followUpOn})
        : say(lang, 'followUpOn', {date: r.followUpOn})
    const last = r.lastChannel
      ? say(lang, 'lastChannel', {
          channel: CHANNEL_LABEL[r.lastChannel as Channel]?.[lang] ?? r.lastChannel,
          date: r.lastAt?.slice(0, 10) ?? '',
        })
      : ''
    return visible(
      `  ${r.customerId}  ${padDisplay(r.customerName, nameWidth)} ${padDisplay(r.rm ?? '', 8)} ` +
        `${padDisplay(when, 32)} ${last}  #${r.contactId}`,
    )
  }
  const rows = function* (shown: Shown<DueFollowUp>) {
    for (const r of shown.head) yield line(r)
    if (shown.rest && shown.count > shown.head.length) for (const r of shown.rest()) yield line(r)
  }
  yield c.red(say(lang, 'overdueSection', {count: overdue.count + sections.lapsed.count}))
  yield* rows(overdue)
  for (const r of lapsed) yield cadenceLine(r)
  const more = sections.lapsed.count - lapsed.length
  if (more > 0) yield c.dim(`  ${say(lang, 'moreLapsed', {count: more})}`)
  yield c.yellow(say(lang, 'dueTodaySection', {count: today.count}))
  yield* rows(today)
  yield c.cyan(say(lang, 'upcomingSection', {days, count: upcoming.count}))
  yield* rows(upcoming)
}

/** A customer's latest contacts, one line each, for `customer show`. */
export function recentContactsText(rows: readonly ContactRow[], lang: Lang, options: OutputOptions): string {
  const title = `  ${say(lang, 'lastContacts')}  `
  if (rows.length === 0) return `${title}${say(lang, 'none')}`
  return rows
    .map((c, i) => {
      const label = i === 0 ? title : ' '.repeat(displayWidth(title))
      const followUp =
        c.followUpOn === null
          ? ''
          : ` · ${say(lang, c.followUpClosedAt ? 'followUpDone' : 'followUpOpen', {date: c.followUpOn})}`
      return visible(
        `${label}${c.at.replace('T', ' ').slice(0, 16)} ` +
          `${CHANNEL_LABEL[c.channel as Channel]?.[lang] ?? c.channel} ` +
          `${PURPOSE_LABEL[c.purpose as Purpose]?.[lang] ?? c.purpose}${followUp}${
            c.notes ? `  ${trimmed(contactText(c.notes, options))}` : ''
          }`,
      )
    })
    .join('\n')
}
