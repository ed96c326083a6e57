import {en} from '../core/messages.js'
import {readChannel, readPurpose} from '../core/contact-input.js'
import {addDays, parseDate} from '../core/dates.js'
import type {ContactFilter} from '../core/contact.js'
import type {ClassificationRepository} from '../db/repositories/classifications.js'
import type {CustomerFilter} from '../core/customer.js'
import {ExitCode, flagValue, notFound, UserError} from '../errors.js'
import {pickValue, unmatchedHint} from '../core/filter-match.js'
import {auditActionOf} from '../core/audit-details.js'
import type {AuditFilter} from '../db/repositories/audit.js'

/** The customer filter of the flags; --branch and --rm as already matched (matchFilterValues). */
export function customerFilter(
  flags: {branch?: string; rm?: string; type?: string; search?: string; tier?: string; scheme?: string},
  runs: () => ClassificationRepository,
  note: (message: string) => void,
): CustomerFilter {
  const tier = flags.tier === undefined ? undefined : tierFilter(runs(), flags.scheme!, flags.tier, note)
  return {branch: flags.branch, rm: flags.rm, type: flags.type, search: flags.search, tier}
}

/**
 * The runs a scheme's tiers stand on and one of its tiers, by id or label (matched as --branch is), or a not-found
 * error that says what there is.
 */
function tierFilter(
  runs: ClassificationRepository,
  scheme: string,
  text: string,
  note: (message: string) => void,
): {runs: number[]; tier: string} {
  const standing = runs.standing(scheme)
  if (standing.length === 0)
    notFound(`no classification run of the scheme "${scheme}"`, `classify first: crm classify --scheme ${scheme}`)
  const tiers = standing[0].tiers
  const picked = pickValue('tier', text, () => tiers.map((t) => ({value: t.id, names: [t.zh, t.en]})), note)
  if (picked.unmatched)
    notFound(
      en('schemeHasNoTier', {scheme, text}),
      en('itsTiersAre', {
        hint: unmatchedHint([picked.unmatched]),
        tiers: tiers.map((t) => `${t.id} (${t.zh})`).join(', '),
      }),
    )
  return {runs: standing.map((r) => r.id), tier: picked.value}
}

/** f4: --since and --until as dates; since after until is refused (exit 2), as it can match nothing. */
function dateRange(flags: {since?: string; until?: string}): {since?: string; until?: string} {
  const since = flagValue('since', flags.since === undefined ? undefined : parseDate(flags.since))
  const until = flagValue('until', flags.until === undefined ? undefined : parseDate(flags.until))
  if (since !== undefined && until !== undefined && since > until)
    throw new UserError(en('sinceAfterUntil', {since, until}), ExitCode.Usage, en('swapSinceUntil'))
  return {since, until}
}

export function contactFilter(flags: {
  customer?: string
  rm?: string
  branch?: string
  channel?: string
  purpose?: string
  since?: string
  until?: string
  open: boolean
  search?: string
  reveal?: boolean
}): ContactFilter {
  const {since, until} = dateRange(flags)
  return {
    customerId: flags.customer,
    rm: flags.rm,
    branch: flags.branch,
    open: flags.open,
    search: flags.search ? {text: flags.search, revealed: flags.reveal === true} : undefined,
    channel: flagValue('channel', flags.channel === undefined ? undefined : readChannel(flags.channel)),
    purpose: flagValue('purpose', flags.purpose === undefined ? undefined : readPurpose(flags.purpose)),
    since,
    until: until === undefined ? undefined : addDays(until, 1),
  }
}

// --- audit list (h6) ---

/** A local day's first instant (ISO, UTC): the audit log stores instants, and people give days in their own zone. */
function dayStart(date: string): string {
  return new Date(`${date}T00:00:00`).toISOString()
}

/** The filter of `audit list`: --since and --until are local days, both inclusive; --command an action or command. */
export function auditFilter(flags: {
  actor?: string
  command?: string
  since?: string
  until?: string
  customer?: string
}): AuditFilter {
  const {since, until} = dateRange(flags)
  const action = flags.command === undefined ? undefined : auditActionOf(flags.command)
  return {
    actor: flags.actor?.trim(),
    action: action === '' ? undefined : action,
    since: since === undefined ? undefined : dayStart(since),
    until: until === undefined ? undefined : dayStart(addDays(until, 1)),
    customerId: flags.customer?.trim(),
  }
}
