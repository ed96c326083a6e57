import {Flags} from '@oclif/core'
import {readChannel, readPurpose} from '../core/contact-input.js'
import {SEARCH_MAX_LENGTH} from '../core/customer.js'
import {addDays, parseDate} from '../core/dates.js'
import {readCustomerEnum} from '../core/row-validator.js'
import type {ContactFilter} from '../core/contact.js'
import type {ClassificationRepository} from '../db/repositories/classifications.js'
import type {CustomerFilter} from '../core/customer.js'
import {ExitCode, flagValue, notFound, UserError} from '../errors.js'
import {pickValue, unmatchedHint} from '../core/filter-match.js'

/** --type as a file's type column is read: individual or corporate, or a Chinese name (个人, 对公 …). */
export const typeFlag = Flags.custom<'individual' | 'corporate'>({
  summary: 'Only individual or corporate customers (个人 and 对公 too).',
  parse: async (text) => flagValue('type', readCustomerEnum('type', text)) as 'individual' | 'corporate',
})

/** The filters `customer list` and `customer export` share. */
export const CUSTOMER_FILTER_FLAGS = {
  branch: Flags.string({summary: 'Only this branch.'}),
  rm: Flags.string({summary: 'Only this relationship manager.'}),
  type: typeFlag(),
  search: Flags.string({summary: `Name or customer number contains this text (at most ${SEARCH_MAX_LENGTH} characters).`, parse: async (text) => searchText(text)}),
  tier: Flags.string({summary: 'Only customers in this tier (its id or label) of --scheme: each customer\'s tier in the newest run that classified it.', dependsOn: ['scheme']}),
  scheme: Flags.string({summary: 'The scheme whose tiers --tier refers to (its name, such as retail-aum).', dependsOn: ['tier']}),
}

function searchText(text: string): string {
  if (text.length <= SEARCH_MAX_LENGTH) return text
  throw new UserError(`--search is ${text.length.toLocaleString('en-US')} characters long, more than the ${SEARCH_MAX_LENGTH} it takes`, ExitCode.Usage, 'search for part of a name or a customer number')
}

/** The customer filter of the flags; --branch and --rm as already matched (matchFilterValues). */
export function customerFilter(flags: {branch?: string; rm?: string; type?: string; search?: string; tier?: string; scheme?: string}, runs: () => ClassificationRepository,
  note: (message: string) => void): CustomerFilter {
  const tier = flags.tier === undefined ? undefined : tierFilter(runs(), flags.scheme!, flags.tier, note)
  return {branch: flags.branch, rm: flags.rm, type: flags.type, search: flags.search, tier}
}

/**
 * The runs a scheme's tiers stand on and one of its tiers, by id or label (matched as --branch is), or a not-found
 * error that says what there is.
 */
function tierFilter(runs: ClassificationRepository, scheme: string, text: string, note: (message: string) => void): {runs: number[]; tier: string} {
  const standing = runs.standing(scheme)
  if (standing.length === 0) notFound(`no classification run of the scheme "${scheme}"`, `classify first: crm classify --scheme ${scheme}`)
  const tiers = standing[0].tiers
  const picked = pickValue('tier', text, () => tiers.map((t) => ({value: t.id, names: [t.zh, t.en]})), note)
  if (picked.unmatched) notFound(`the scheme ${scheme} has no tier "${text}"`, `${unmatchedHint([picked.unmatched])} Its tiers are: ${tiers.map((t) => `${t.id} (${t.zh})`).join(', ')}`)
  return {runs: standing.map((r) => r.id), tier: picked.value}
}

/** The filters `contact list` and `contact export` share. */
export const CONTACT_FILTER_FLAGS = {
  customer: Flags.string({summary: 'Only this customer.'}),
  rm: Flags.string({summary: 'Only contacts made by this manager (or, when none is recorded, the customer\'s manager).'}),
  branch: Flags.string({summary: 'Only customers of this branch.'}),
  channel: Flags.string({summary: 'Only this channel.'}),
  purpose: Flags.string({summary: 'Only this purpose.'}),
  since: Flags.string({summary: 'From this date (inclusive).'}),
  until: Flags.string({summary: 'To this date (inclusive).'}),
  open: Flags.boolean({summary: 'Only contacts with an open follow-up.'}),
}

export function contactFilter(flags: {customer?: string; rm?: string; branch?: string; channel?: string; purpose?: string; since?: string; until?: string; open: boolean}): ContactFilter {
  const until = flagValue('until', flags.until === undefined ? undefined : parseDate(flags.until))
  return {
    customerId: flags.customer, rm: flags.rm, branch: flags.branch, open: flags.open,
    channel: flagValue('channel', flags.channel === undefined ? undefined : readChannel(flags.channel)),
    purpose: flagValue('purpose', flags.purpose === undefined ? undefined : readPurpose(flags.purpose)),
    since: flagValue('since', flags.since === undefined ? undefined : parseDate(flags.since)),
    until: until === undefined ? undefined : addDays(until, 1),
  }
}

/** Where and how an export is written. */
export const EXPORT_FLAGS = {
  output: Flags.string({char: 'o', summary: 'Write to this file (created readable by you only) instead of standard output.'}),
  force: Flags.boolean({summary: 'Replace the --output file if it exists.'}),
  encoding: Flags.option({options: ['utf-8', 'gbk'] as const, default: 'utf-8' as const, summary: 'CSV and TSV encoding: utf-8 (with a byte-order mark, for Excel) or gbk.'})(),
  reveal: Flags.boolean({summary: 'Export ID numbers, phones, e-mail and birth dates unmasked (recorded in the audit log).'}),
}
