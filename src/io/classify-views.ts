import type {ChalkInstance} from 'chalk'
import type {Explanation, MissingInput, Move, NextContact} from '../core/classify.js'
import {instantForJson, instantForPeople} from '../core/dates.js'
import {personalText} from '../core/masking.js'
import type {CustomerTier, Run, RunResult, RunTier} from '../db/repositories/classifications.js'
import {INVALID_ADVICE} from '../core/schemes/inputs.js'
import type {RunSummary, TierCount} from '../services/classify.js'
import {displayWidth, padDisplay} from './customer-views.js'
import {counted} from './import-report.js'
import {visible} from '../core/visible.js'
import type {View} from './row-writer.js'
import type {Lang} from './terminal.js'

/** A share (0..1) as a percentage with one decimal. */
export const percent = (share: number) => `${(share * 100).toFixed(1)}%`
/** A count with thousands separators. */
export const count = (n: number) => n.toLocaleString('en-US')

/** A tier's label in the reader's language, or its id when the scheme gives none. */
export function tierLabel(tiers: readonly RunTier[], id: string, lang: Lang): string {
  if (id === '') return lang === 'zh' ? '未分层' : 'no tier'
  return tiers.find((t) => t.id === id)?.[lang] ?? id
}

function filterText(filter: RunSummary['filter']): string {
  return visible(Object.entries(filter).filter(([, v]) => v !== undefined).map(([k, v]) => `${k} ${v}`).join(', '))
}

/** The short per-tier count `crm classify` prints. */
export function runSummaryText(summary: RunSummary, lang: Lang, c: ChalkInstance): string {
  const zh = lang === 'zh'
  const filter = filterText(summary.filter)
  const head = [`${summary.scheme} v${summary.version}`, summary.run === null ? (zh ? '试运行，未保存' : 'dry run, not stored') : `run ${summary.run}`,
    `${zh ? '基准日' : 'as of'} ${summary.as_of}`, filter, (zh ? `${count(summary.customers)} 位客户` : counted(summary.customers, 'customer'))].filter(Boolean).join(' · ')
  const label = (t: TierCount) => (t.tier === '' ? (zh ? '未分层' : 'no tier') : visible(t[lang]))
  const width = Math.max(...summary.tiers.map((t) => displayWidth(label(t))), 4)
  const numbers = Math.max(...summary.tiers.map((t) => count(t.customers).length), count(summary.customers).length)
  const lines = summary.tiers.map((t) => `  ${padDisplay(label(t), width)}  ${count(t.customers).padStart(numbers)}  ${percent(summary.customers === 0 ? 0 : t.customers / summary.customers).padStart(6)}  ${c.dim(visible(t.tier))}`)
  const skipped = summary.skipped > 0 ? [c.dim(zh ? `  另有 ${count(summary.skipped)} 位客户不适用本方案或未被筛选` : `  ${counted(summary.skipped, 'more customer')} ${summary.skipped === 1 ? 'is' : 'are'} outside the scheme or the filter`)] : []
  // The scheme's name and version, the filter and the tier ids come from a file and flags: shown, not obeyed.
  return [c.bold(visible(head)), ...lines, ...skipped].join('\n')
}

/** One warning line per portfolio measure that separated no one (stderr). */
export function flatMeasureLines(flat: readonly string[], lang: Lang): string[] {
  return flat.map((measure) => (lang === 'zh'
    ? `警告：${visible(measure)} 的输入对所有已知客户都相同：它无法区分客户，依赖它的分层并无依据`
    : `warning: ${visible(measure)} separates no one: its input has the same value for every customer where it is known, so tiers that read it say nothing about them`))
}

/** One warning line per input unknown for a large share of the customers classified (stderr). */
export function missingInputLines(missing: readonly MissingInput[], classified: number, lang: Lang): string[] {
  return missing.map((m) => (lang === 'zh'
    ? `警告：${visible(m.field)} 在 ${count(classified)} 位客户中有 ${count(m.unknown)} 位未知（${percent(m.share)}）：依赖它的分层可能只反映数据缺失`
    : `warning: ${visible(m.field)} is unknown for ${count(m.unknown)} of ${counted(classified, 'customer')} (${percent(m.share)}): tiers that read it may reflect missing data`))
}

/** The customers a run left out as invalid, for stderr: the count, the first few by customer number, and what to do. */
export function invalidText(summary: RunSummary): string {
  const more = summary.invalid - summary.invalid_customers.length
  return [`${counted(summary.invalid, 'customer')} ${summary.invalid === 1 ? 'was' : 'were'} not classified: a kept column the rules read holds a value that is not of its declared type`,
    ...summary.invalid_customers.map((c) => `  ${visible(c.customer_id)}: ${visible(c.reason)}`),
    ...(more > 0 ? [`  … and ${count(more)} more`] : []),
    INVALID_ADVICE].join('\n')
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
  const zh = lang === 'zh'
  return {
    keys: ['id', 'scheme', 'version', 'hash', 'as_of', 'created_at', 'actor', 'customers', 'skipped', 'filter'],
    record: (r) => ({id: r.id, scheme: r.scheme, version: r.version, hash: r.hash, as_of: r.asOf, created_at: instantForJson(r.createdAt), actor: r.actor, customers: r.customers, skipped: r.skipped, filter: r.filter}),
    columns: [
      {header: zh ? '运行' : 'Run', cell: (r) => String(r.id), align: 'right'},
      {header: zh ? '方案' : 'Scheme', cell: (r) => `${r.scheme} v${r.version}`},
      {header: zh ? '基准日' : 'As of', cell: (r) => r.asOf},
      {header: zh ? '范围' : 'Filter', cell: (r) => filterText(r.filter)},
      {header: zh ? '客户数' : 'Customers', cell: (r) => count(r.customers), align: 'right'},
      {header: zh ? '运行时间' : 'Created', cell: (r) => instantForPeople(r.createdAt)},
      {header: zh ? '操作人' : 'By', cell: (r) => r.actor},
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
  const zh = lang === 'zh'
  return {
    keys: ['customer_id', 'name', 'branch', 'rm', 'tier', 'tier_label', 'reason'],
    record: (r) => ({customer_id: r.customerId, name: r.name, branch: r.branch, rm: r.rm, tier: r.tier, tier_label: tierLabel(run.tiers, r.tier, lang), reason: personalText(r.reason, reveal)}),
    columns: [
      {header: zh ? '客户号' : 'Customer', cell: (r) => r.customerId},
      {header: zh ? '客户名称' : 'Name', cell: (r) => r.name},
      {header: zh ? '分层' : 'Tier', cell: (r) => tierLabel(run.tiers, r.tier, lang)},
      {header: zh ? '原因' : 'Reason', cell: (r) => personalText(r.reason, reveal)},
    ],
  }
}

/**
 * `classify explain`: the tier, why (a score term by term), the move to the next better tier and, for a risk scheme,
 * to the next worse one, and when a tier with a cadence is next due. Personal values masked unless reveal.
 */
export function explanationText(customer: {id: string; name: string}, scheme: {name: string; version: string; tiers: readonly RunTier[]}, asOf: string,
  explanation: Explanation | null, contact: NextContact | null, lang: Lang, c: ChalkInstance, reveal: boolean): string {
  const zh = lang === 'zh'
  const shown = (text: string) => visible(personalText(text, reveal))
  const head = c.bold(visible(`${customer.id} ${customer.name} · ${scheme.name} v${scheme.version} · ${zh ? '基准日' : 'as of'} ${asOf}`))
  if (explanation === null) return `${head}\n  ${zh ? '本方案不适用于该客户（或不在其范围内）' : 'the scheme does not apply to this customer (or the portfolio leaves it out)'}`
  const label = visible(explanation.tier ? `${explanation.tier.label[lang]} (${explanation.tier.id})` : zh ? '未分层' : 'no tier')
  const lines = [head, `  ${zh ? '分层' : 'tier'}     ${c.bold(label)}`, `  ${zh ? '原因' : 'because'}  ${shown(explanation.reason)}`]
  for (const score of explanation.scores) {
    lines.push(`  ${shown(`${score.name} = ${score.value}`)}${zh ? '，各项：' : ', from:'}`)
    for (const t of score.terms) lines.push(`    ${shown(t.points).padStart(4)}  ${shown(t.condition)}${t.holds === null ? '' : c.dim(t.holds ? (zh ? '  成立' : '  holds') : (zh ? '  不成立' : '  does not hold'))}`)
  }
  const move = (m: Move, title: string) => [visible(`  ${title}`), ...m.needs.map((n) => `    ${shown(n)}`)]
  const tierName = (m: Move) => `${m.tier.label[lang]} (${m.tier.id})`
  if (explanation.invalid) lines.push(`  ${c.dim(zh ? '未分层：请更正该值后重新导入，或在方案的 extras 中将该列声明为 text' : `not classified: ${INVALID_ADVICE}`)}`)
  else if (!explanation.ranked) lines.push(`  ${c.dim(zh ? '该层级不在方案的优劣顺序中（数据不足或待核查），不提示升降' : "this tier stands outside the scheme's order (unscored or to be checked): no move to show")}`)
  else if (explanation.better === null) lines.push(`  ${c.dim(explanation.order === 'worst-first' ? (zh ? '已是风险最低的层级' : 'already in the least risky tier') : (zh ? '已是最高层级' : 'already in the top tier'))}`)
  else lines.push(...move(explanation.better, zh ? `升至 ${tierName(explanation.better)}：` : `to reach ${tierName(explanation.better)}:`))
  if (explanation.worse !== null) lines.push(...move(explanation.worse, zh ? `如下列条件成立，将降至 ${tierName(explanation.worse)}：` : `would fall to ${tierName(explanation.worse)} if:`))
  if (contact !== null) lines.push(`  ${zh ? '联系' : 'contact'}  ${contactText(contact, lang)}`)
  return lines.join('\n')
}

function contactText(n: NextContact, lang: Lang): string {
  const zh = lang === 'zh'
  const every = zh ? `每 ${n.cadenceDays} 天` : `every ${n.cadenceDays} days`
  const last = zh ? `上次联系 ${n.lastContactOn}` : `last contact ${n.lastContactOn}`
  switch (n.status) {
    case 'closed': return zh ? '无：客户已销户（contact due 不列出已销户客户）' : 'none: the customer is closed (contact due never lists closed customers)'
    case 'never': return zh ? `现在：从未联系（${every}）` : `now: never contacted (${every})`
    case 'overdue': return zh ? `自 ${n.dueOn} 起逾期（${last}，${every}）` : `overdue since ${n.dueOn} (${last}, ${every})`
    case 'today': return zh ? `今天到期（${last}，${every}）` : `due today (${last}, ${every})`
    default: return zh ? `下次 ${n.dueOn} 到期（${last}，${every}）` : `next due ${n.dueOn} (${last}, ${every})`
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

export function explanationRecord(customerId: string, scheme: {name: string; version: string}, asOf: string, explanation: Explanation | null,
  contact: NextContact | null, reveal: boolean): ExplanationRecord {
  const shown = (text: string) => personalText(text, reveal)
  const move = (m: Move | null | undefined) => (m ? {tier: m.tier.id, needs: m.needs.map(shown)} : null)
  return {
    customer_id: customerId, scheme: scheme.name, version: scheme.version, as_of: asOf, applies: explanation !== null,
    tier: explanation?.tier?.id ?? null, reason: explanation ? shown(explanation.reason) : null,
    order: explanation?.order ?? null, ranked: explanation?.ranked ?? null, invalid: explanation?.invalid ?? false,
    scores: (explanation?.scores ?? []).map((s) => ({name: shown(s.name), value: shown(s.value), terms: s.terms.map((t) => ({condition: shown(t.condition), holds: t.holds, points: shown(t.points)}))})),
    next: move(explanation?.better), next_worse: move(explanation?.worse),
    next_contact: contact && {cadence_days: contact.cadenceDays, last_contact_on: contact.lastContactOn, due_on: contact.dueOn, status: contact.status},
  }
}

/** A customer's tier in each scheme, for `customer show` (screens.md); personal values in reasons masked unless reveal. */
export function customerTiersText(tiers: readonly CustomerTier[], lang: Lang, reveal: boolean): string {
  const zh = lang === 'zh'
  if (tiers.length === 0) return zh ? '  分层      尚未分层（crm classify --scheme …）' : '  Tiers     not classified yet (crm classify --scheme …)'
  const schemeWidth = Math.max(...tiers.map((t) => t.run.scheme.length))
  const labelWidth = Math.max(...tiers.map((t) => displayWidth(tierLabel(t.run.tiers, t.tier, lang))))
  return tiers.map((t, i) => {
    const label = i === 0 ? (zh ? '  分层      ' : '  Tiers     ') : '            '
    return visible(`${label}${t.run.scheme.padEnd(schemeWidth)}  ${padDisplay(tierLabel(t.run.tiers, t.tier, lang), labelWidth)}  ${personalText(t.reason, reveal)}  (run ${t.run.id}, ${t.run.asOf})`)
  }).join('\n')
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
  return {scheme: t.run.scheme, version: t.run.version, run: t.run.id, as_of: t.run.asOf, tier: t.tier, reason: personalText(t.reason, reveal)}
}
