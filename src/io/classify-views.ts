import type {ChalkInstance} from 'chalk'
import type {Explanation, MissingInput, Move, NextContact} from '../core/classify.js'
import {instantForJson, instantForPeople} from '../core/dates.js'
import {personalText} from '../core/masking.js'
import {
  type CustomerTier,
  INVALID_ADVICE,
  type Run,
  type RunResult,
  type RunSummary,
  type RunTier,
  type TierCount,
} from '../core/runs.js'
import {displayWidth, padDisplay} from './customer-views.js'
import {visible} from '../core/visible.js'
import type {View} from './row-writer.js'
import type {Lang} from './terminal.js'
import {localize, say, sayCount} from '../core/messages.js'

/** A share (0..1) as a percentage with one decimal. */
export const percent = (share: number) => `${(share * 100).toFixed(1)}%`
/** A count with thousands separators. */
export const count = (n: number) => n.toLocaleString('en-US')

/** A tier's label in the reader's language, or its id when the scheme gives none. */
export function tierLabel(tiers: readonly RunTier[], id: string, lang: Lang): string {
  if (id === '') return say(lang, 'noTier')
  return tiers.find((t) => t.id === id)?.[lang] ?? id
}

/** Each tier id of a run with its label (tierLabel), and '' with that of no tier: for the lines SQL writes. */
export function tierLabels(tiers: readonly RunTier[], lang: Lang): Map<string, string> {
  const labels = new Map([['', tierLabel(tiers, '', lang)]])
  for (const t of tiers) if (!labels.has(t.id)) labels.set(t.id, tierLabel(tiers, t.id, lang))
  return labels
}

/** The fields of a run's result, in order (runResultView). */
export const RESULT_KEYS: readonly string[] = ['customer_id', 'name', 'branch', 'rm', 'tier', 'tier_label', 'reason']

function filterText(filter: RunSummary['filter']): string {
  return visible(
    Object.entries(filter)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k} ${v}`)
      .join(', '),
  )
}

/** The short per-tier count `crm classify` prints. */
export function runSummaryText(summary: RunSummary, lang: Lang, c: ChalkInstance): string {
  const filter = filterText(summary.filter)
  const head = [
    `${summary.scheme} v${summary.version}`,
    summary.run === null ? say(lang, 'dryRunNotStored') : `run ${summary.run}`,
    say(lang, 'asOf', {date: summary.as_of}),
    filter,
    sayCount(lang, 'customerCount', summary.customers),
  ]
    .filter(Boolean)
    .join(' · ')
  const label = (t: TierCount) => (t.tier === '' ? say(lang, 'noTier') : visible(t[lang]))
  const width = Math.max(...summary.tiers.map((t) => displayWidth(label(t))), 4)
  const numbers = Math.max(...summary.tiers.map((t) => count(t.customers).length), count(summary.customers).length)
  const lines = summary.tiers.map(
    (t) =>
      `  ${padDisplay(label(t), width)}  ${count(t.customers).padStart(numbers)}  ` +
      `${percent(summary.customers === 0 ? 0 : t.customers / summary.customers).padStart(6)}  ` +
      `${c.dim(visible(t.tier))}`,
  )
  const skipped = summary.skipped > 0 ? [c.dim(`  ${sayCount(lang, 'skipped', summary.skipped)}`)] : []
  // The scheme's name and version, the filter and the tier ids come from a file and flags: shown, not obeyed.
  return [c.bold(visible(head)), ...lines, ...skipped].join('\n')
}

/** One warning line per portfolio measure that separated no one (stderr). */
export function flatMeasureLines(flat: readonly string[], lang: Lang): string[] {
  return flat.map((measure) => say(lang, 'flatMeasure', {measure: visible(measure)}))
}

/** One warning line per input unknown for a large share of the customers classified (stderr). */
export function missingInputLines(missing: readonly MissingInput[], classified: number, lang: Lang): string[] {
  return missing.map((m) =>
    sayCount(lang, 'missingInput', classified, {
      field: visible(m.field),
      unknown: count(m.unknown),
      classified: count(classified),
      share: percent(m.share),
    }),
  )
}

/** The customers a run left out as invalid, for stderr: the count, the first few by customer number, and what to do. */
export function invalidText(summary: RunSummary, lang: Lang): string {
  const more = summary.invalid - summary.invalid_customers.length
  return [
    sayCount(lang, 'notClassifiedCount', summary.invalid),
    ...summary.invalid_customers.map((c) => `  ${visible(c.customer_id)}: ${visible(localize(c.reason, lang))}`),
    ...(more > 0 ? [`  ${say(lang, 'moreCustomers', {count: count(more)})}`] : []),
    say(lang, 'invalidAdvice'),
  ].join('\n')
}

/** A stored run as classify runs lists it. */
export type RunRecord = {
  readonly id: number
  readonly scheme: string
  readonly version: string
  readonly hash: string
  readonly as_of: string
  readonly created_at: string | null
  readonly actor: string
  readonly customers: number
  readonly skipped: number
  readonly filter: Run['filter']
}

export function runListView(lang: Lang): View<Run, RunRecord> {
  return {
    keys: ['id', 'scheme', 'version', 'hash', 'as_of', 'created_at', 'actor', 'customers', 'skipped', 'filter'],
    record: (r) => ({
      id: r.id,
      scheme: r.scheme,
      version: r.version,
      hash: r.hash,
      as_of: r.asOf,
      created_at: instantForJson(r.createdAt),
      actor: r.actor,
      customers: r.customers,
      skipped: r.skipped,
      filter: r.filter,
    }),
    columns: [
      {header: say(lang, 'headRun'), cell: (r) => String(r.id), align: 'right'},
      {header: say(lang, 'headScheme'), cell: (r) => `${r.scheme} v${r.version}`},
      {header: say(lang, 'headAsOf'), cell: (r) => r.asOf},
      {header: say(lang, 'headFilter'), cell: (r) => filterText(r.filter)},
      {header: say(lang, 'headCustomers'), cell: (r) => count(r.customers), align: 'right'},
      {header: say(lang, 'headCreated'), cell: (r) => instantForPeople(r.createdAt)},
      {header: say(lang, 'headBy'), cell: (r) => r.actor},
    ],
  }
}

/** A run customer by customer; personal values in reasons masked unless reveal. */
/** A customer's tier in a stored run, as classify show prints it. */
export type RunResultRecord = {
  readonly customer_id: string
  readonly name: string
  readonly branch: string | null
  readonly rm: string | null
  readonly tier: string
  readonly tier_label: string
  readonly reason: string
}

export function runResultView(run: Run, lang: Lang, reveal: boolean): View<RunResult, RunResultRecord> {
  return {
    keys: RESULT_KEYS,
    record: (r) => ({
      customer_id: r.customerId,
      name: r.name,
      branch: r.branch,
      rm: r.rm,
      tier: r.tier,
      tier_label: tierLabel(run.tiers, r.tier, lang),
      reason: personalText(r.reason, reveal),
    }),
    columns: [
      {header: say(lang, 'headCustomer'), cell: (r) => r.customerId},
      {header: say(lang, 'headName'), cell: (r) => r.name},
      {header: say(lang, 'headTier'), cell: (r) => tierLabel(run.tiers, r.tier, lang)},
      {header: say(lang, 'headReason'), cell: (r) => localize(personalText(r.reason, reveal), lang)},
    ],
  }
}

/**
 * `classify explain`: the tier, why (a score term by term), the move to the next better tier and, for a risk scheme,
 * to the next worse one, and when a tier with a cadence is next due. Personal values masked unless reveal.
 */
export function explanationText(
  customer: {id: string; name: string},
  scheme: {name: string; version: string; tiers: readonly RunTier[]},
  asOf: string,
  explanation: Explanation | null,
  contact: NextContact | null,
  lang: Lang,
  c: ChalkInstance,
  reveal: boolean,
): string {
  const shown = (text: string) => visible(personalText(text, reveal))
  const head = c.bold(
    visible(`${customer.id} ${customer.name} · ${scheme.name} v${scheme.version} · ${say(lang, 'asOf', {date: asOf})}`),
  )
  if (explanation === null) return `${head}\n  ${say(lang, 'schemeNotApplicable')}`
  const label = visible(
    explanation.tier ? `${explanation.tier.label[lang]} (${explanation.tier.id})` : say(lang, 'noTier'),
  )
  const lines = [
    head,
    `  ${padDisplay(say(lang, 'explainTier'), 7)}  ${c.bold(label)}`,
    `  ${padDisplay(say(lang, 'explainBecause'), 7)}  ${shown(explanation.reason)}`,
  ]
  for (const score of explanation.scores) {
    lines.push(`  ${say(lang, 'scoreFrom', {score: shown(`${score.name} = ${score.value}`)})}`)
    for (const t of score.terms)
      lines.push(
        `    ${shown(t.points).padStart(4)}  ${shown(t.condition)}${
          t.holds === null ? '' : c.dim(`  ${say(lang, t.holds ? 'holds' : 'doesNotHold')}`)
        }`,
      )
  }
  const move = (m: Move, title: string) => [visible(`  ${title}`), ...m.needs.map((n) => `    ${shown(n)}`)]
  const tierName = (m: Move) => `${m.tier.label[lang]} (${m.tier.id})`
  if (explanation.invalid) lines.push(`  ${c.dim(say(lang, 'notClassified', {advice: INVALID_ADVICE}))}`)
  else if (!explanation.ranked) lines.push(`  ${c.dim(say(lang, 'unranked'))}`)
  else if (explanation.better === null)
    lines.push(`  ${c.dim(say(lang, explanation.order === 'worst-first' ? 'leastRisky' : 'topTier'))}`)
  else lines.push(...move(explanation.better, say(lang, 'toReach', {tier: tierName(explanation.better)})))
  if (explanation.worse !== null)
    lines.push(...move(explanation.worse, say(lang, 'wouldFall', {tier: tierName(explanation.worse)})))
  if (contact !== null) lines.push(`  ${say(lang, 'explainContact')}  ${contactText(contact, lang)}`)
  return lines.join('\n')
}

function contactText(n: NextContact, lang: Lang): string {
  const every = say(lang, 'everyDays', {days: n.cadenceDays})
  const last = say(lang, 'lastContactOn', {date: n.lastContactOn ?? ''})
  switch (n.status) {
    case 'closed':
      return say(lang, 'contactNone')
    case 'never':
      return say(lang, 'contactNever', {every})
    case 'overdue':
      return say(lang, 'contactOverdue', {date: n.dueOn ?? '', last, every})
    case 'today':
      return say(lang, 'contactToday', {last, every})
    default:
      return say(lang, 'contactNext', {date: n.dueOn ?? '', last, every})
  }
}

/** A tier one rule away, and what the customer would need for it. */
export type MoveRecord = {
  readonly tier: string
  readonly needs: readonly string[]
}

type ScoreTerm = {readonly condition: string; readonly holds: boolean | null; readonly points: string}

type NextContactRecord = {
  readonly cadence_days: number
  readonly last_contact_on: string | null
  readonly due_on: string | null
  readonly status: NextContact['status']
}

/** Why a customer is in its tier in one scheme, as --json prints it. */
export type ExplanationRecord = {
  readonly customer_id: string
  readonly scheme: string
  readonly version: string
  readonly as_of: string
  readonly applies: boolean
  readonly tier: string | null
  readonly reason: string | null
  readonly order: Explanation['order'] | null
  readonly ranked: Explanation['ranked'] | null
  readonly invalid: boolean
  readonly scores: readonly {readonly name: string; readonly value: string; readonly terms: readonly ScoreTerm[]}[]
  readonly next: MoveRecord | null
  readonly next_worse: MoveRecord | null
  readonly next_contact: NextContactRecord | null
}

export function explanationRecord(
  customerId: string,
  scheme: {name: string; version: string},
  asOf: string,
  explanation: Explanation | null,
  contact: NextContact | null,
  reveal: boolean,
): ExplanationRecord {
  const shown = (text: string) => personalText(text, reveal)
  const move = (m: Move | null | undefined) => (m ? {tier: m.tier.id, needs: m.needs.map(shown)} : null)
  return {
    customer_id: customerId,
    scheme: scheme.name,
    version: scheme.version,
    as_of: asOf,
    applies: explanation !== null,
    tier: explanation?.tier?.id ?? null,
    reason: explanation ? shown(explanation.reason) : null,
    order: explanation?.order ?? null,
    ranked: explanation?.ranked ?? null,
    invalid: explanation?.invalid ?? false,
    scores: (explanation?.scores ?? []).map((s) => ({
      name: shown(s.name),
      value: shown(s.value),
      terms: s.terms.map((t) => ({condition: shown(t.condition), holds: t.holds, points: shown(t.points)})),
    })),
    next: move(explanation?.better),
    next_worse: move(explanation?.worse),
    next_contact: contact && {
      cadence_days: contact.cadenceDays,
      last_contact_on: contact.lastContactOn,
      due_on: contact.dueOn,
      status: contact.status,
    },
  }
}

/**
 * A customer's tier in each scheme, for `customer show` (screens.md); personal values in reasons masked unless reveal.
 */
export function customerTiersText(tiers: readonly CustomerTier[], lang: Lang, reveal: boolean): string {
  const tiersLabel = `  ${padDisplay(say(lang, 'tiersLabel'), 8)}  `
  if (tiers.length === 0) return `${tiersLabel}${say(lang, 'notClassifiedYet')}`
  const schemeWidth = Math.max(...tiers.map((t) => t.run.scheme.length))
  const labelWidth = Math.max(...tiers.map((t) => displayWidth(tierLabel(t.run.tiers, t.tier, lang))))
  return tiers
    .map((t, i) => {
      const label = i === 0 ? tiersLabel : ' '.repeat(12)
      return visible(
        `${label}${t.run.scheme.padEnd(schemeWidth)}  ` +
          `${padDisplay(tierLabel(t.run.tiers, t.tier, lang), labelWidth)}  ${personalText(t.reason, reveal)}  ` +
          `(run ${t.run.id}, ${t.run.asOf})`,
      )
    })
    .join('\n')
}

/** A customer's tier in one scheme's run, as customer show --json prints it. */
export type CustomerTierRecord = {
  readonly scheme: string
  readonly version: string
  readonly run: number
  readonly as_of: string
  readonly tier: string
  readonly reason: string
}

export function customerTierRecord(t: CustomerTier, reveal: boolean): CustomerTierRecord {
  return {
    scheme: t.run.scheme,
    version: t.run.version,
    run: t.run.id,
    as_of: t.run.asOf,
    tier: t.tier,
    reason: personalText(t.reason, reveal),
  }
}
