/**
 * Tier summaries: counts, exact sums of fen, shares, averages and contact coverage, per tier in the scheme's order
 * (tiers with no customers included), optionally per breakdown group, with subtotals and a grand total.
 * Money stays bigint fen from the database's SUM to the printed text: nothing passes through floating point.
 */

/** What the database adds up per tier (and group). */
export interface TierTotals {
  readonly tier: string
  readonly groups: readonly (string | null)[]
  readonly customers: number
  /** Each sum is over the customers with a value; its count says how many those are (the rest are unknown, not 0). */
  readonly aum: bigint
  readonly aumCount: number
  readonly deposits: bigint
  readonly depositsCount: number
  readonly loans: bigint
  readonly loansCount: number
  /**
   * Customers contacted within the tier's cadence (or the window); for a tier with neither, ever up to the as-of date.
   */
  readonly contacted: number
  /** Whether the tier has a cadence (or a window was given): only then is its coverage known. */
  readonly cadence: boolean
  /** The --sum field's total (in its SumField's units) and how many customers have a value; absent without --sum. */
  readonly sum?: bigint
  readonly sumCount?: number
}

/** A sum of money over the customers that have a value: null when none of them has one (unknown, not zero). */
export interface Amount {
  readonly total: bigint | null
  /** Customers with a value; fewer than the row's customers means the total covers only them. */
  readonly count: number
}

export interface SummaryRow {
  /** 'tier' a tier's row; 'subtotal' a group's; 'total' the whole portfolio's. */
  readonly kind: 'tier' | 'subtotal' | 'total'
  readonly tier: string
  readonly groups: readonly (string | null)[]
  readonly customers: number
  /** Share of the customers of its group (of the portfolio without a breakdown), 0..1. */
  readonly customerShare: number
  readonly aum: Amount
  /**
   * Average AUM in fen over the customers with a value, rounded half away from zero to the fen; null when none has one
   * (or there are none).
   */
  readonly aumAverage: bigint | null
  readonly deposits: Amount
  readonly loans: Amount
  /** Share of the group's known AUM; null when this row's AUM or the group's is unknown. */
  readonly aumShare: number | null
  /** A count: 0 when nobody was contacted, never unknown. */
  readonly contacted: number
  /** contacted / customers over the tiers with a cadence, null when no tier has one (or it has no customers). */
  readonly coverage: number | null
  /** The --sum field's total (0 customers counted without --sum), and its share of the group's known total. */
  readonly sum: Amount
  readonly sumShare: number | null
}

/** a / b in fen, rounded half away from zero. */
export function divideFen(a: bigint, b: bigint): bigint {
  if (b === 0n) return 0n
  const q = a / b
  const r = a % b
  return 2n * (r < 0n ? -r : r) >= b ? q + (a < 0n ? -1n : 1n) : q
}

/** part / whole as a fraction with 6 decimals (display rounds further). */
function share(part: bigint, whole: bigint): number {
  if (whole === 0n) return 0
  return Number((part * 1_000_000n * 2n + whole) / (2n * whole)) / 1_000_000
}

type Added = {
  -readonly [K in keyof Omit<TierTotals, 'tier' | 'groups' | 'cadence' | 'sum' | 'sumCount'>]: TierTotals[K]
} & {sum: bigint; sumCount: number; covered: number; coveredContacted: number}

/**
 * Adds rows; `covered` and `coveredContacted` count only the tiers with a cadence (a coverage's denominator and
 * numerator).
 */
function add(rows: readonly TierTotals[]): Added {
  const sum: Added = {
    customers: 0,
    aum: 0n,
    aumCount: 0,
    deposits: 0n,
    depositsCount: 0,
    loans: 0n,
    loansCount: 0,
    contacted: 0,
    sum: 0n,
    sumCount: 0,
    covered: 0,
    coveredContacted: 0,
  }
  for (const r of rows) {
    sum.customers += r.customers
    sum.aum += r.aum
    sum.aumCount += r.aumCount
    sum.deposits += r.deposits
    sum.depositsCount += r.depositsCount
    sum.loans += r.loans
    sum.loansCount += r.loansCount
    sum.contacted += r.contacted
    sum.sum += r.sum ?? 0n
    sum.sumCount += r.sumCount ?? 0
    if (r.cadence) {
      sum.covered += r.customers
      sum.coveredContacted += r.contacted
    }
  }
  return sum
}

/** Nothing to add (no customers) is 0; customers none of whom has a value is unknown. */
function amount(total: bigint, count: number, customers: number): Amount {
  return {total: count === 0 && customers > 0 ? null : total, count}
}

function row(
  kind: SummaryRow['kind'],
  tier: string,
  groups: readonly (string | null)[],
  t: Added,
  whole: Added,
): SummaryRow {
  const aum = amount(t.aum, t.aumCount, t.customers)
  const wholeAum = amount(whole.aum, whole.aumCount, whole.customers)
  const summed = amount(t.sum, t.sumCount, t.customers)
  const wholeSum = amount(whole.sum, whole.sumCount, whole.customers)
  return {
    kind,
    tier,
    groups,
    customers: t.customers,
    customerShare: whole.customers === 0 ? 0 : share(BigInt(t.customers), BigInt(whole.customers)),
    aum,
    aumAverage: aum.count === 0 ? null : divideFen(t.aum, BigInt(aum.count)),
    deposits: amount(t.deposits, t.depositsCount, t.customers),
    loans: amount(t.loans, t.loansCount, t.customers),
    aumShare: aum.total === null || wholeAum.total === null ? null : share(aum.total, wholeAum.total),
    contacted: t.contacted,
    coverage: t.covered === 0 ? null : t.coveredContacted / t.covered,
    sum: summed,
    sumShare: summed.total === null || wholeSum.total === null ? null : share(summed.total, wholeSum.total),
  }
}

/**
 * Summary rows: for each group (one, without a breakdown), every tier in order then a subtotal (with a breakdown);
 * a total last. Customers no tier took (tier '') come after the tiers when there are any.
 */
export function summarize(tierOrder: readonly string[], totals: readonly TierTotals[]): SummaryRow[] {
  const key = (groups: readonly (string | null)[]) => JSON.stringify(groups)
  // Each group's totals, gathered once: a --by with a value for every customer has as many groups as customers.
  const byGroup = new Map<string, {groups: readonly (string | null)[]; totals: TierTotals[]}>()
  for (const t of totals) {
    const k = key(t.groups)
    const group = byGroup.get(k)
    if (group === undefined) byGroup.set(k, {groups: t.groups, totals: [t]})
    else group.totals.push(t)
  }
  const ordered = [...byGroup.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, group]) => group)
  if (ordered.length === 0) ordered.push({groups: [], totals: []})
  const tiers = totals.some((t) => t.tier === '') ? [...tierOrder, ''] : tierOrder
  const rows: SummaryRow[] = []
  for (const {groups, totals: inGroup} of ordered) {
    const whole = add(inGroup)
    for (const tier of tiers) rows.push(row('tier', tier, groups, add(inGroup.filter((t) => t.tier === tier)), whole))
    if (groups.length > 0) rows.push(row('subtotal', '', groups, whole, whole))
  }
  const all = add(totals)
  rows.push(row('total', '', [], all, all))
  return rows
}

/** A migration matrix between two runs of one scheme, with moves counted against the tier order (first is top). */
export interface Migration {
  readonly from: readonly string[]
  readonly to: readonly string[]
  readonly counts: ReadonlyMap<string, number>
  readonly up: number
  readonly down: number
  readonly unchanged: number
  readonly added: number
  readonly gone: number
}

export function migrationMatrix(
  tierOrder: readonly string[],
  cells: readonly {from: string | null; to: string | null; customers: number}[],
): Migration {
  const rank = new Map(tierOrder.map((t, i) => [t, i]))
  const extra = (t: string) => (rank.has(t) ? [] : [t])
  const seen = new Set(cells.flatMap((c) => [c.from, c.to]).filter((t): t is string => t !== null))
  const order = [...tierOrder, ...[...seen].flatMap(extra)]
  const counts = new Map<string, number>()
  let up = 0
  let down = 0
  let unchanged = 0
  let added = 0
  let gone = 0
  for (const c of cells) {
    counts.set(cellKey(c.from, c.to), (counts.get(cellKey(c.from, c.to)) ?? 0) + c.customers)
    if (c.from === null) added += c.customers
    else if (c.to === null) gone += c.customers
    else {
      const a = order.indexOf(c.from)
      const b = order.indexOf(c.to)
      if (b < a) up += c.customers
      else if (b > a) down += c.customers
      else unchanged += c.customers
    }
  }
  return {from: order, to: order, counts, up, down, unchanged, added, gone}
}

/** The key of a matrix cell; null stands for new (as from) and gone (as to). */
export function cellKey(from: string | null, to: string | null): string {
  return `${from ?? '+new'}→${to ?? '-gone'}`
}

/** A customer column a summary groups by: a canonical field, or a kept column a scheme declares under extras. */
export interface SummaryField {
  readonly name: string
  readonly source: 'field' | 'extra'
}

/**
 * A column --sum totals, in whole units of 10^-places: fen for money (2), whole numbers (0), millionths for a number
 * extra (6).
 */
export interface SumField extends SummaryField {
  readonly type: 'money' | 'number'
  readonly places: number
}

/** Millionths, the units a number extra is summed in: decimals with more places round half away from zero. */
export const NUMBER_PLACES = 6

const NUMBER_TEXT = /^([-+]?)(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d+))?$/

/** A number extra's text (as rules read it: 1,234.5) in millionths, exactly; null when it is not a number. */
export function numberUnits(text: string): bigint | null {
  const m = NUMBER_TEXT.exec(text.trim())
  if (m === null || (m[2] === undefined && m[3] === undefined)) return null
  const fraction = (m[3] ?? '').padEnd(NUMBER_PLACES + 1, '0')
  let units =
    BigInt((m[2] ?? '0').replaceAll(',', '')) * 10n ** BigInt(NUMBER_PLACES) + BigInt(fraction.slice(0, NUMBER_PLACES))
  if (Number(fraction[NUMBER_PLACES]) >= 5) units++
  return m[1] === '-' ? -units : units
}

/** A total in units of 10^-places as decimal text, without trailing zeros after the point: 1234500 (6) -> "1.2345". */
export function formatUnits(value: bigint, places: number, options: {separators?: boolean} = {}): string {
  const negative = value < 0n
  const abs = negative ? -value : value
  const scale = 10n ** BigInt(places)
  let whole = (abs / scale).toString()
  if (options.separators) whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  const fraction = places === 0 ? '' : (abs % scale).toString().padStart(places, '0').replace(/0+$/, '')
  return `${negative ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`
}

/** One cell of a migration matrix: customers that were in `from` (null: new) and are in `to` (null: gone). */
export interface MigrationCell {
  readonly from: string | null
  readonly to: string | null
  readonly customers: number
}

export interface Mover {
  readonly customerId: string
  readonly name: string
  readonly from: string
  readonly to: string
}

export interface TopCustomer {
  readonly tier: string
  readonly customerId: string
  readonly name: string
  readonly branch: string | null
  readonly type: string
  readonly aum: bigint | null
}
