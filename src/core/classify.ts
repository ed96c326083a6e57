import type {Expr, Row, Value, Window} from './rules/compile.js'
import {held, missing, valuesRead} from './rules/trace.js'
import type {CompiledScheme, Tier} from './schemes/scheme.js'

/**
 * Sorts a portfolio into a scheme's tiers: the first tier whose rule holds wins. Portfolio measures (quintile,
 * percent_rank, cume_share, mean) are computed over the customers the scheme applies to, so the database path
 * and `classify check` give the same tiers for the same rows. Ties are broken by key (customer_id), so the
 * result never depends on the order rows arrive in.
 */

/** A customer to classify: a key (customer_id, or a line number when there is none) and its inputs' values. */
export interface PortfolioRow {
  readonly key: string
  readonly values: readonly Value[]
  /** Why the row is invalid (a kept column's text that is not of its declared type): it is then not classified. */
  readonly problem?: string
}

export interface Classification {
  /** Indexes into the rows given, of the customers the scheme applies to (and --where selects), in order. */
  readonly members: Int32Array
  /** Per member: the index of its tier in scheme.tiers, or -1 when no tier's rule held. */
  readonly tiers: Int32Array
  /** Per member: which rule held, with the values that decided it. */
  readonly reasons: string[]
  /** Rows left out: the scheme does not apply to them, or --where did not select them. */
  readonly skipped: number
}

export const NO_TIER = -1

/** Classifies a whole portfolio in memory. */
export function classifyPortfolio(compiled: CompiledScheme, rows: readonly PortfolioRow[]): Classification {
  const row: Row = {values: [], index: 0}
  const memberList: number[] = []
  for (let i = 0; i < rows.length; i++) {
    row.values = rows[i].values
    if (selects(compiled, row)) memberList.push(i)
  }
  const members = Int32Array.from(memberList)
  for (const window of compiled.windows) computeWindow(window, rows, members)
  const tiers = new Int32Array(members.length)
  const reasons = new Array<string>(members.length)
  for (let m = 0; m < members.length; m++) {
    row.values = rows[members[m]].values
    row.index = m
    const t = tierOf(compiled, row)
    tiers[m] = t
    reasons[m] = reasonFor(compiled, t, row)
  }
  return {members, tiers, reasons, skipped: rows.length - members.length}
}

/** Whether the scheme applies to a row and --where selects it (neither may use portfolio measures). */
export function selects(compiled: CompiledScheme, row: Row): boolean {
  return (compiled.appliesTo === null || compiled.appliesTo.eval(row) === true) && (compiled.where === null || compiled.where.eval(row) === true)
}

/** Whether the scheme needs the whole portfolio before it can classify one customer. */
export function needsPortfolio(compiled: CompiledScheme): boolean {
  return compiled.windows.length > 0
}

export function tierOf(compiled: CompiledScheme, row: Row): number {
  const tiers = compiled.tiers
  for (let t = 0; t < tiers.length; t++) {
    const rule = tiers[t].rule
    if (rule === null || rule.eval(row) === true) return t
  }
  return NO_TIER
}

/** Per scheme, per tier: the rules above it (what a default tier's reason reads). */
const RULES_ABOVE = new WeakMap<CompiledScheme, Expr[][]>()

export function reasonFor(compiled: CompiledScheme, t: number, row: Row): string {
  let above = RULES_ABOVE.get(compiled)
  if (above === undefined) {
    const rules = compiled.tiers.flatMap((x) => (x.rule ? [x.rule] : []))
    RULES_ABOVE.set(compiled, (above = [...compiled.tiers.map((_, i) => rules.slice(0, i)), rules]))
  }
  if (t === NO_TIER) return `no tier's rule held: ${valuesRead(above[compiled.tiers.length], row).join('; ')}`
  const rule = compiled.tiers[t].rule
  if (rule === null) return `no rule above held: ${valuesRead(above[t], row).join('; ')}`
  return held(rule, row).join('; ')
}

/** Why a row is in its tier, and what would have to change for it to reach the tier above. */
export interface Explanation {
  readonly tier: Tier | null
  readonly reason: string
  readonly up: {readonly tier: Tier; readonly needs: readonly string[]} | null
}

export function explainRow(compiled: CompiledScheme, row: Row): Explanation {
  const t = tierOf(compiled, row)
  const reason = reasonFor(compiled, t, row)
  const above = t === NO_TIER ? compiled.tiers.length - 1 : t - 1
  const target = above >= 0 ? compiled.tiers[above] : undefined
  const up = target === undefined || target.rule === null ? null : {tier: target.tier, needs: missing(target.rule, row)}
  return {tier: t === NO_TIER ? null : compiled.tiers[t].tier, reason, up}
}

type Sortable = number | bigint | string

function compareValues(a: Value, b: Value): number {
  if (a === b) return 0
  if (a === null) return -1 // nulls sort first, as in SQL's ascending order
  if (b === null) return 1
  return (a as Sortable) < (b as Sortable) ? -1 : 1
}

/** Fills a window's values for the members: the same definitions as SQL's NTILE and PERCENT_RANK. */
export function computeWindow(window: Window, rows: readonly PortfolioRow[], members: Int32Array): void {
  const n = members.length
  const row: Row = {values: [], index: 0}
  const args = new Array<Value>(n)
  for (let m = 0; m < n; m++) {
    row.values = rows[members[m]].values
    row.index = m
    args[m] = window.arg.eval(row)
  }
  const key = (m: number) => rows[members[m]].key
  const byKey = (a: number, b: number) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a - b)
  const values = new Float64Array(window.fn === 'mean' ? 1 : n).fill(Number.NaN)
  window.values = values
  if (window.fn === 'mean') {
    let sum = 0
    let count = 0
    for (const v of args) if (v !== null) { sum += Number(v); count++ }
    if (count > 0) values[0] = sum / count
    return
  }
  const order = Array.from({length: n}, (_, m) => m)
  if (window.fn === 'cume_share') {
    // Largest first; a customer's share counts itself and everyone above it (nulls hold nothing). A share is a
    // fraction, so amounts beyond 2^53 fen may add up in floating point here.
    const amount = (m: number) => Number(args[m] ?? 0)
    order.sort((a, b) => (amount(b) - amount(a)) || byKey(a, b))
    let total = 0
    for (let m = 0; m < n; m++) total += amount(m)
    if (total <= 0) return
    let running = 0
    for (const m of order) {
      running += amount(m)
      values[m] = running / total
    }
    return
  }
  order.sort((a, b) => compareValues(args[a], args[b]) || byKey(a, b))
  if (window.fn === 'percent_rank') {
    let rank = 0
    for (let i = 0; i < n; i++) {
      if (i === 0 || compareValues(args[order[i]], args[order[i - 1]]) !== 0) rank = i
      values[order[i]] = n > 1 ? rank / (n - 1) : 0
    }
    return
  }
  // NTILE(k): the first n % k groups get one row more than the others.
  const k = window.buckets
  const size = Math.floor(n / k)
  const larger = n % k
  const cut = larger * (size + 1)
  for (let i = 0; i < n; i++) values[order[i]] = i < cut ? Math.floor(i / (size + 1)) + 1 : larger + Math.floor((i - cut) / size) + 1
}
