import {CUSTOMER_FIELDS, MONEY_FIELDS} from '../../core/fields.js'
import {type Expr, groups, type InputSpec, personalFieldOf, type Value, type Window} from '../../core/rules/compile.js'
import {sidesRead, textOf} from '../../core/rules/trace.js'
import type {CompiledScheme} from '../../core/schemes/scheme.js'
import {keptPath} from '../columns.js'
import type {Dialect} from './dialect.js'

/**
 * Compiles a scheme's typed rule trees (Expr.op, built by core/rules/compile.ts) to SQL: one SELECT that gives every
 * member of the portfolio its tier and its reason, as classify.ts and trace.ts would. Names come from the field
 * whitelist; every value a scheme writes (literals, kept column paths, tier ids, the text of reasons) is a bound
 * parameter. Three-valued logic is SQL's own where it agrees with the interpreter's, and spelt out where it does not
 * (in, between and like with an unknown side; min and max skip unknowns).
 */

/** A rule the SQL engine cannot run exactly as the interpreter does: that scheme is classified by the interpreter. */
export class NotCompilable extends Error {
  constructor(what: string) {
    super(`cannot compile to SQL: ${what}`)
    this.name = 'NotCompilable'
  }
}

/** A piece of a reason: text known when compiling, or SQL that gives text per row. */
type Piece = string | {readonly sql: string}

/** The SQL of a classification, with its bound parameters (named, so fragments may be reused in any order). */
export interface ClassifySql {
  /**
   * Rows (ref, tier, reason): one per member, in customer order. Running it calls crm_rule_tally for the members that
   * may change what functions.ts's Tally counts.
   */
  readonly select: string
  /**
   * One row: per tier (the scheme's order, then '' for none) how many of `rows` (SQL naming rows with a tier column:
   * a run's results, or the select) have it.
   */
  readonly tierCounts: (rows: string) => string
  /** One row, one column: the customers read whose kept columns are of their declared types. */
  readonly read: string
  /** Rows (ref, problem) of the customers a kept column of the wrong type makes invalid, in customer order. */
  readonly invalid: string | null
  /** Per watched input slot: rows (value, n) of its text values among the customers read. */
  readonly census: (slot: number) => string
  /**
   * Per watched input slot: one row, one column, how many of the distinct texts @census_values (a JSON array) some
   * customer read holds, the scan stopping once @census_n (how many they are) are found.
   */
  readonly held: (slot: number) => string
  /** Rows (value) of the customers read, for each kept column an unmarked rule reads: 1 when one looks personal. */
  readonly looksPersonal: (slot: number) => string
  /** For a single-valued measure (mean, median, percentile): its argument's known values among members. */
  readonly measureArgs: (window: Window) => string
  /**
   * One row: per tallied input (tallied()) how many members have it unknown, then per measure how many known
   * arguments it has and whether they are all one value: what crm_rule_tally counts, for an engine that calls no JS.
   */
  readonly tallies: string
  readonly params: Record<string, unknown>
}

export interface ClassifySqlOptions {
  readonly dialect: Dialect
  /** The portfolio filter over customers `c` (its parameters are the caller's). */
  readonly filter: string
  /** The values of single-valued measures, computed first (measureArgs). */
  readonly singles?: ReadonlyMap<Window, Value>
}

const SINGLE = new Set(['mean', 'median', 'percentile'])

export function isSingle(window: Window): boolean {
  return SINGLE.has(window.fn)
}

/** Compiles a scheme for SQL, or throws NotCompilable. */
export function classifySql(compiled: CompiledScheme, options: ClassifySqlOptions): ClassifySql {
  return new RuleSql(compiled, options).build()
}

class RuleSql {
  private readonly params: Record<string, unknown> = {}
  private readonly bound = new Map<string, string>()
  private readonly cache = new Map<Expr, string>()
  private readonly namedCache = new Map<Expr, string>()
  /**
   * While compiling tiers and reasons: a defined name is a column (d0 …) computed once per row, not its expression
   * again wherever it is named (sme-size names its sector in every clause of every tier).
   */
  private named = false
  private readonly defines = new Map<string, {column: string; sql: string}>()
  private readonly d: Dialect

  constructor(
    private readonly compiled: CompiledScheme,
    private readonly options: ClassifySqlOptions,
  ) {
    this.d = options.dialect
  }

  /** A value as a bound parameter (equal values share one). */
  bind(value: Value): string {
    const v = this.d.bindable(value)
    const key = `${typeof v}:${String(v)}`
    let name = this.bound.get(key)
    if (name === undefined) {
      name = `p${this.bound.size}`
      this.bound.set(key, name)
      this.params[name] = v
    }
    return `@${name}`
  }

  private inputColumn(input: InputSpec): string {
    const d = this.d
    switch (input.source) {
      case 'field': {
        if (!CUSTOMER_FIELDS.some((f) => f.name === input.name)) throw new NotCompilable(`field ${input.name}`)
        return d.column('c', MONEY_FIELDS.includes(input.name) ? `${input.name}_fen` : input.name, input.type)
      }
      case 'extra':
        return d.call('input', [
          d.jsonText(d.column('c', 'extra'), this.bind(keptPath(input.name))),
          this.bind(input.name),
        ])
      default:
        if (input.name !== 'last_contact_on' && input.name !== 'contacts_12m') throw new NotCompilable(input.name)
        return input.name === 'last_contact_on' ? d.lastContactDay : d.contactsIn12Months
    }
  }

  /** An expression's SQL over the columns i0 … (inputs) and w0 … (measures). */
  x(e: Expr): string {
    const cache = this.named ? this.namedCache : this.cache
    let sql = cache.get(e)
    if (sql === undefined) {
      sql =
        this.named && e.shape.kind === 'define' && !e.constant
          ? this.define(e.shape.name, e.shape.target)
          : this.compile(e)
      cache.set(e, sql)
    }
    return sql
  }

  /** A defined name's column, its expression compiled once (names within it are compiled inline). */
  private define(name: string, target: Expr): string {
    let found = this.defines.get(name)
    if (found === undefined) {
      this.named = false
      try {
        found = {column: `d${this.defines.size}`, sql: this.x(target)}
      } finally {
        this.named = true
      }
      this.defines.set(name, found)
    }
    return found.column
  }

  private compile(e: Expr): string {
    if (e.constant) return this.bind(e.eval({values: [], index: 0}))
    const op = e.op
    if (op === undefined) throw new NotCompilable(e.text)
    const d = this.d
    const x = (a: Expr) => this.x(a)
    switch (op.kind) {
      case 'input': {
        const at = this.compiled.inputs.findIndex((i) => i.name === op.input.name)
        if (at < 0) throw new NotCompilable(op.input.name)
        return `i${at}`
      }
      case 'window': {
        const at = this.compiled.windows.indexOf(op.window)
        if (at < 0) throw new NotCompilable(e.text)
        if (isSingle(op.window)) {
          const value = this.options.singles?.get(op.window)
          if (value === undefined) throw new NotCompilable(e.text)
          return this.bind(value)
        }
        return `w${at}`
      }
      case 'not':
        return `(NOT ${x(op.a)})`
      case 'neg':
        return `(- ${x(op.a)})`
      case 'and':
      case 'or':
        return (
          (op.kind === 'or' ? this.keyed(op.parts) : null) ??
          `(${op.parts.map(x).join(op.kind === 'and' ? ' AND ' : ' OR ')})`
        )
      case 'arith': {
        // A condition counts as 1 or 0 in arithmetic (asNumber in the interpreter): PostgreSQL's booleans need a cast.
        const n = (a: Expr) => (a.shape.kind === 'value' && a.shape.op === 'number' ? d.boolInt(x(a)) : x(a))
        return op.op === '/' ? d.divide(n(op.a), n(op.b)) : `(${n(op.a)} ${op.op} ${n(op.b)})`
      }
      case 'compare':
        return `(${x(op.a)} ${op.op === '!=' ? '<>' : op.op} ${x(op.b)})`
      case 'in': {
        const a = x(op.a)
        // The interpreter's in is false, never unknown, when no item equals a known value (an item may be unknown).
        return (
          `(CASE WHEN ${a} IS NULL THEN NULL WHEN ${a} IN (${op.list.map(x).join(', ')}) ` +
          `THEN ${op.negated ? d.false : d.true} ELSE ${op.negated ? d.true : d.false} END)`
        )
      }
      case 'between': {
        const [a, low, high] = [x(op.a), x(op.low), x(op.high)]
        // Unknown as soon as any side is: SQL's own between is false when one bound alone decides.
        return (
          `(CASE WHEN ${unknown(d, [op.a, op.low, op.high], [a, low, high])} THEN NULL ` +
          `ELSE (${a} ${op.negated ? 'NOT ' : ''}BETWEEN ${low} AND ${high}) END)`
        )
      }
      case 'isnull':
        return `(${x(op.a)} IS ${op.negated ? 'NOT ' : ''}NULL)`
      case 'like': {
        const [a, p] = [x(op.a), x(op.pattern)]
        const match = d.call('like', [a, p, op.insensitive ? '1' : '0'])
        return (
          `(CASE WHEN ${unknown(d, [op.a, op.pattern], [a, p])} THEN NULL ` +
          `ELSE ${op.negated ? `(NOT ${match})` : match} END)`
        )
      }
      case 'case':
        return (
          `(CASE ${op.whens.map((w) => `WHEN ${x(w.when)} THEN ${x(w.result)}`).join(' ')} ELSE ` +
          `${x(op.otherwise)} END)`
        )
      case 'fen':
        return `(${x(op.a)} * 100)`
      case 'call':
        return this.call(e, op.name, op.args, op.places)
    }
  }

  /**
   * An or whose alternatives each begin by comparing one text with a written text (sme-size's `sector = '工业' and …`,
   * an alternative per industry) as a CASE on that text: a row is compared with the texts until its own, and its
   * alternatives' rests alone are tried, where the or tried every alternative in turn (about a third of sme-size's
   * statement). Distinct texts never both equal one text, so the CASE's first match is the only one. With the text
   * unknown the or is false when every rest is false, else unknown, as SQL's and its own or give it. Null when the or
   * is not of that shape.
   */
  private keyed(parts: readonly Expr[]): string | null {
    const keyed = this.keyedParts(parts)
    if (keyed === null) return null
    const any = (list: readonly string[]) => (list.length === 1 ? list[0] : `(${list.join(' OR ')})`)
    const rests = new Map<string, string[]>()
    for (const {value, rest} of keyed.alternatives) rests.set(value, [...(rests.get(value) ?? []), rest])
    const whens = [...rests].map(([value, list]) => `WHEN ${value} THEN ${any(list)}`)
    const all = any(keyed.alternatives.map((a) => a.rest))
    return (
      `(CASE ${keyed.key} ${whens.join(' ')} ` +
      `ELSE CASE WHEN ${keyed.key} IS NULL AND ${all} IS NOT 0 THEN NULL ELSE 0 END END)`
    )
  }

  /** An or's alternatives as keyed() reads them (the text, and per alternative its written text and rest), or null. */
  private keyedParts(
    parts: readonly Expr[],
  ): {key: string; alternatives: {value: string; rest: string; part: Expr}[]} | null {
    if (parts.length < 3) return null
    let key: string | undefined
    const alternatives: {value: string; rest: string; part: Expr}[] = []
    for (const part of parts) {
      const conjuncts = part.op?.kind === 'and' ? part.op.parts : [part]
      const test = conjuncts[0].op
      if (test?.kind !== 'compare' || test.op !== '=' || test.a.constant || test.a.type !== 'text' || !test.b.constant)
        return null
      if (typeof test.b.eval({values: [], index: 0}) !== 'string') return null
      const k = this.x(test.a)
      if (key !== undefined && k !== key) return null
      key = k
      const rest = conjuncts.slice(1).map((c) => this.x(c))
      alternatives.push({value: this.x(test.b), rest: rest.length === 0 ? '1' : `(${rest.join(' AND ')})`, part})
    }
    return key === undefined ? null : {key, alternatives}
  }

  private call(e: Expr, name: string, args: readonly Expr[], places = 0): string {
    const d = this.d
    const a = args.map((arg) => this.x(arg))
    const asOf = this.compiled.asOf
    switch (name) {
      case 'days_since':
        return d.daysSince(
          a[0],
          this.bind(Date.UTC(+asOf.slice(0, 4), +asOf.slice(5, 7) - 1, +asOf.slice(8, 10)) / 86_400_000),
        )
      case 'age':
        return d.yearsSince(a[0], this.bind(+asOf.slice(0, 4)), this.bind(asOf.slice(5, 10)))
      case 'abs':
        return `abs(${a[0]})`
      case 'coalesce':
        return `coalesce(${a.join(', ')})`
      case 'min':
      case 'max':
        // The smallest (largest) known value: each argument, or when it is unknown another known one; unknown when all
        // are.
        return d.extreme(
          name,
          a.map((first, i) => `coalesce(${[first, ...a.filter((_, j) => j !== i)].join(', ')})`),
        )
      case 'if':
        return `(CASE WHEN ${a[0]} THEN ${a[1]} ELSE ${a[2]} END)`
      case 'contains':
        return d.contains(a[0], a[1])
      case 'starts_with':
        return `(substr(${a[0]}, 1, length(${a[1]})) = ${a[1]})`
      case 'lower':
      case 'upper':
      case 'trim':
      case 'sme_industry':
        return d.call(name, [a[0]])
      case 'round':
      case 'floor':
      case 'ceil':
        return d.call('round', [a[0], this.bind(places), this.bind(name), args[0].type === 'money' ? '1' : '0'])
      case 'nullif':
        return `nullif(${a[0]}, ${a[1]})`
      case 'count_true':
        return `(${a.map((c) => d.boolInt(`((${c}) IS TRUE)`)).join(' + ')})`
      case 'count_unknown':
        return `(${a.map((c) => d.boolInt(`((${c}) IS NULL)`)).join(' + ')})`
      default:
        throw new NotCompilable(e.text)
    }
  }

  /** A measure over the members, as a window function of the row. */
  private window(w: Window): string {
    const d = this.d
    const a = this.x(w.arg)
    const text = w.arg.type === 'text' || w.arg.type === 'date'
    const known = `count(${a}) OVER ()`
    switch (w.fn) {
      case 'quintile':
      case 'ntile':
        // ceil(k × the share of known values <= a), in integers; tied values share a group.
        return (
          `(CASE WHEN ${a} IS NULL THEN NULL ELSE (${w.buckets} * count(${a}) OVER (ORDER BY ` +
          `${d.order(a, text, 'ASC')}) + ${known} - 1) / ${known} END)`
        )
      case 'percent_rank':
        return (
          `(CASE WHEN ${a} IS NULL THEN NULL WHEN ${known} > 1 ` +
          `THEN ${d.real(`rank() OVER (PARTITION BY ${a} IS NULL ORDER BY ${d.order(a, text, 'ASC')}) - 1`)} ` +
          `/ (${known} - 1) ELSE 0.0 END)`
        )
      case 'cume_share': {
        // Largest first, ties by customer_id: the share of the known total held by this customer and those above it.
        // Sums of whole numbers are exact in both engines; SQLite adds fractions more carefully than JS, so a measure
        // of fractions is left to the interpreter.
        if (!integral(w.arg)) throw new NotCompilable(`cume_share of fractions: ${w.text}`)
        const total = `sum(${a}) OVER ()`
        return (
          `(CASE WHEN ${a} IS NULL OR NOT (${total} > 0) THEN NULL ELSE ` +
          d.real(
            `sum(${a}) OVER (ORDER BY ${d.order(a, false, 'DESC')}, ${d.order('k', true, 'ASC')} ` +
              'ROWS UNBOUNDED PRECEDING)',
          ) +
          ` / ${d.real(total)} END)`
        )
      }
      default:
        throw new NotCompilable(w.text)
    }
  }

  /**
   * The reason of a rule that held, as pieces (held in trace.ts), each condition prefixed by its definitions' names.
   */
  private held(e: Expr, prefix: string): Piece[] {
    const shape = e.shape
    switch (shape.kind) {
      case 'and':
        return joined(
          shape.parts.map((p) => this.held(p, prefix)),
          '; ',
        )
      case 'or': {
        const none = this.bind(prefix + textOf(e))
        const keyed = this.keyedParts(shape.parts)
        if (keyed === null)
          return [
            {
              sql:
                '(CASE ' +
                shape.parts.map((p) => `WHEN ${this.x(p)} THEN ${this.text(this.held(p, prefix))}`).join(' ') +
                ` ELSE ${none} END)`,
            },
          ]
        // Keyed (keyed()): only the alternatives of the row's own text can hold, tried in their order.
        const byValue = new Map<string, string[]>()
        for (const {value, rest, part} of keyed.alternatives)
          byValue.set(value, [...(byValue.get(value) ?? []), `WHEN ${rest} THEN ${this.text(this.held(part, prefix))}`])
        const whens = [...byValue].map(
          ([value, list]) => `WHEN ${value} THEN (CASE ${list.join(' ')} ELSE ${none} END)`,
        )
        return [{sql: `(CASE ${keyed.key} ${whens.join(' ')} ELSE ${none} END)`}]
      }
      case 'define':
        return this.held(shape.target, `${prefix}${shape.name}: `)
      case 'not':
        return [`${prefix}not (${textOf(shape.part)})`]
      case 'case': {
        const more = (result: Expr | null): Piece[] =>
          result === null || result.constant ? [] : ['; ', ...this.held(result, prefix)]
        const whens = shape.whens.map(
          (w) => `WHEN ${this.x(w.when)} THEN ${this.text([...this.held(w.when, prefix), ...more(w.then)])}`,
        )
        const none = [
          `${prefix}no when held: `,
          ...joined(
            shape.whens.map((w) => this.leaf(w.when)),
            '; ',
          ),
          ...more(shape.otherwise),
        ]
        return [{sql: `(CASE ${whens.join(' ')} ELSE ${this.text(none)} END)`}]
      }
      default:
        return [prefix, ...this.leaf(e)]
    }
  }

  private leaf(e: Expr): Piece[] {
    const shape = e.shape
    if (shape.kind !== 'compare') return [textOf(e)]
    const [first, ...rest] = shape.sides
    const m = e.marks
    switch (shape.op) {
      case 'in':
      case 'not in':
        return [...this.side(first, m), ` ${shape.op} (${rest.map((r) => textOf(r, m)).join(', ')})`]
      case 'between':
      case 'not between':
        return [...this.side(first, m), ` ${shape.op} `, ...this.side(rest[0], m), ' and ', ...this.side(rest[1], m)]
      case 'is null':
      case 'is not null':
        return [textOf(e)]
      default:
        return [...this.side(first, m), ` ${shape.op} `, ...this.side(rest[0], m)]
    }
  }

  private side(e: Expr, marks = e.marks): Piece[] {
    if (e.constant) return [textOf(e, marks)]
    return [`${textOf(e, marks)} `, {sql: this.shown(e)}]
  }

  /** A value as a reason shows it (trace.ts's shown): formatted in SQL where that is exact, else by crm's own code. */
  private shown(e: Expr): string {
    const d = this.d
    const v = this.x(e)
    const field = personalFieldOf(e)
    if (field !== undefined) return d.call('shown', [v, this.bind(e.type), this.bind(field)])
    let known: string
    switch (e.type) {
      case 'text':
        return `(CASE WHEN ${v} IS NULL THEN 'null' ELSE '''' || ${v} || '''' END)`
      case 'date':
        known = v
        break
      case 'bool':
        known = `(CASE WHEN ${v} THEN 'true' ELSE 'false' END)`
        break
      case 'number':
        known = storedInteger(e)
          ? d.integerText(v)
          : `(CASE WHEN ${d.isInteger(v)} THEN ${d.integerText(v)} ` +
            `ELSE ${d.valueText(v, 'number', this.bind('number'))} END)`
        break
      case 'money':
        known = storedInteger(e)
          ? d.fenText(v)
          : `(CASE WHEN ${d.isInteger(v)} THEN ${d.fenText(v)} ELSE ${d.valueText(v, 'money', this.bind('money'))} END)`
        break
      default:
        return "'null'"
    }
    return `(CASE WHEN ${v} IS NULL THEN 'null' ELSE ${known} END)`
  }

  /** Pieces as one SQL text: neighbouring known texts joined and bound as one parameter. */
  private text(pieces: readonly Piece[]): string {
    const parts: string[] = []
    let pending = ''
    for (const p of pieces) {
      if (typeof p === 'string') pending += p
      else {
        if (pending !== '') parts.push(this.bind(pending))
        pending = ''
        parts.push(p.sql)
      }
    }
    if (pending !== '' || parts.length === 0) parts.push(this.bind(pending))
    return this.d.concat(parts)
  }

  build(): ClassifySql {
    const {compiled, d} = {compiled: this.compiled, d: this.d}
    const inputs = compiled.inputs.map((input, i) => `${this.inputColumn(input)} AS i${i}`)
    const kept = compiled.inputs.flatMap((input) =>
      input.source === 'extra' && input.type !== 'text'
        ? [d.jsonText(d.column('c', 'extra'), this.bind(keptPath(input.name)))]
        : [],
    )
    const problem = kept.length > 0 ? d.call('problem', kept) : null
    const filter = this.options.filter
    // Every customer (but the deleted) with whether the filter selects it (sel), so that one condition decides
    // each row.
    const base = `SELECT c.id AS ref, c.customer_id AS k, ${[
      ...inputs,
      `${problem ?? 'NULL'} AS problem`,
      `(${filter}) AS sel`,
    ].join(', ')} FROM customers c
      WHERE c.deleted_at IS NULL`
    const selects = [compiled.appliesTo, compiled.where].flatMap((e) => (e === null ? [] : [this.x(e)]))
    const valid = problem === null ? d.true : 'problem IS NULL'
    const member = [...(problem === null ? [] : [valid]), ...selects].join(' AND ') || d.true
    // One condition (a CASE, whose branches SQL tries in order), so that `then` runs for every member and no other row.
    const counted = (then: string) => `CASE WHEN sel AND ${member} THEN ${then} ELSE ${d.false} END`
    const windows = compiled.windows.map((w, i) => (isSingle(w) ? `NULL AS w${i}` : `${this.window(w)} AS w${i}`))
    // Tiers and reasons name defined names by their columns, each computed once per row.
    this.named = true
    // The rules of the tiers before the first without one (which takes everyone left), as SQL conditions.
    const held: string[] = []
    let otherwise = -1
    for (const [t, {rule}] of compiled.tiers.entries()) {
      if (rule === null) {
        otherwise = t
        break
      }
      held.push(this.x(rule))
    }
    /** Per member, the value of the first tier whose rule holds (values[t]), or `none` when no tier's does. */
    const byTier = (values: readonly string[], none: string): string => {
      const rest = otherwise < 0 ? none : values[otherwise]
      return held.length === 0
        ? rest
        : `CASE ${held.map((h, t) => `WHEN ${h} THEN ${values[t]}`).join(' ')} ELSE ${rest} END`
    }
    const tierCase = byTier(
      compiled.tiers.map((_, t) => String(t)),
      '-1',
    )
    const rules = compiled.tiers.flatMap((x) => (x.rule ? [x.rule] : []))
    const valuesRead = (sides: readonly Expr[]): Piece[] =>
      joined(
        sides.map((s) => this.side(s)),
        '; ',
      )
    const reasons = compiled.tiers.map(({rule}, t) =>
      rule === null
        ? this.text(['no rule above held: ', ...valuesRead(sidesRead(rules.slice(0, t)))])
        : this.text(this.held(rule, '')),
    )
    const noTier = this.text(["no tier's rule held: ", ...valuesRead(sidesRead(rules))])
    this.named = false
    const ids = compiled.tiers.map(({tier}) => this.bind(tier.id))
    const tierIds = ids.map((id, t) => `WHEN ${t} THEN ${id}`)
    // What the run reports besides its results and their tiers (counted in SQL, tierCounts), counted as the rows pass
    // (crm_rule_tally, always true): which inputs that decide a tier are unknown, and each measure's argument
    // (flat when its known ones are all one value). Called only for a member that may change those counts: one
    // with an unknown input, every member when there are measures, none when there is neither (a call into
    // JavaScript per member cost a third of retail-aum's statement).
    const flags = tallied(compiled).map((i) => `i${i} IS NULL`)
    const args = compiled.windows.map((w) => (isSingle(w) ? 'NULL' : this.x(w.arg)))
    const tallyCall = d.call('tally', [...flags, ...args])
    const tally =
      args.length > 0
        ? tallyCall
        : flags.length > 0
          ? `(CASE WHEN ${flags.join(' OR ')} THEN ${tallyCall} ELSE ${d.true} END)`
          : d.true
    const tierId = (t: string) => `CASE ${t} ${tierIds.join(' ')} ELSE '' END`
    const reasonOf = (t: string) =>
      `CASE ${t} ${reasons.map((r, i) => `WHEN ${i} THEN ${r}`).join(' ')} ELSE ${noTier} END`
    let select: string
    if (compiled.windows.length === 0 && this.defines.size === 0) {
      // One pass over customers (SQLite copies base into the query): the tier's rules are short, and evaluated where
      // used, the tier id and the reason each chosen by them directly (a CASE of the tier's number cost a tenth more).
      select = `WITH base AS (${base}) SELECT ref, k, ${byTier(ids, "''")} AS tier, ${byTier(reasons, noTier)} AS reason
        FROM base WHERE ${counted(tally)} ${d.resultOrder}`
    } else {
      const defines = [...this.defines.values()].map((x) => `, ${x.sql} AS ${x.column}`).join('')
      // LIMIT -1 OFFSET 0 keeps SQLite from copying a layer's expressions into the next (query flattening): the
      // defined names and the tier are computed once per row, however often the reason reads them.
      const once = d.fence
      select = `WITH base AS (${base}), members AS (SELECT * FROM base WHERE ${counted(d.true)}),
        measured AS (SELECT *${windows.map((w) => `, ${w}`).join('')} FROM members),
        named AS (SELECT *${defines} FROM measured ${once}),
        tiered AS (SELECT *, ${tierCase} AS t FROM named ${once})
        SELECT ref, k, ${tierId('t')} AS tier, ${reasonOf('t')} AS reason FROM tiered WHERE ${tally} ${d.resultOrder}`
    }
    // Per flag the rows it holds for; per measure argument its known values' count and whether they are all equal.
    const tallyColumns =
      [
        ...flags.map((f) => `count(*) FILTER (WHERE ${f})`),
        ...args.flatMap((a) => (a === 'NULL' ? ['0', 'NULL'] : [`count(${a})`, `min(${a}) = max(${a})`])),
      ].join(', ') || '0'
    return {
      select,
      tierCounts: (rows) => tierCounts(rows, [...ids, "''"], otherwise < 0 ? ids.length : otherwise),
      // The whole book less its deleted customers, each counted from an index (migration 9), when every live customer
      // is read: a count of the table's rows would read every page again.
      read:
        filter === '1' && problem === null
          ? 'SELECT (SELECT count(*) FROM customers) - (SELECT count(*) FROM customers WHERE deleted_at IS NOT NULL)'
          : `WITH base AS (${base}) SELECT count(*) FROM base WHERE sel AND ${valid}`,
      invalid:
        problem === null
          ? null
          : `WITH base AS (${base}) SELECT ref, problem FROM base WHERE sel AND problem IS NOT NULL ORDER BY ref`,
      census: (slot) =>
        `WITH base AS (${base}) SELECT i${slot} AS value, count(*) AS n FROM base ` +
        `WHERE sel AND ${d.isText(`i${slot}`)} GROUP BY i${slot}`,
      held: (slot) =>
        `WITH base AS (${base}) SELECT count(*) FROM (SELECT DISTINCT i${slot} FROM base ` +
        `WHERE sel AND ${d.isText(`i${slot}`)} AND i${slot} IN (${d.jsonTexts('@census_values')}) ` +
        'LIMIT @census_n) AS held',
      looksPersonal: (slot) =>
        `WITH base AS (${base}) SELECT EXISTS (SELECT 1 FROM base ` +
        `WHERE sel AND ${valid} AND ${d.call('looks_personal', [`i${slot}`])})`,
      tallies: `WITH base AS (${base}), members AS (SELECT * FROM base WHERE sel AND ${member})
        SELECT ${tallyColumns} FROM members`,
      measureArgs: (w) =>
        `WITH base AS (${base}), members AS (SELECT * FROM base WHERE sel AND ${member}) SELECT ${this.x(w.arg)} ` +
        `AS v FROM members ORDER BY ref`,
      params: this.params,
    }
  }
}

/**
 * One row: how many of `rows` have each tier id of `ids` (bound names; the last is '', none). The bucket `rest` takes
 * every row no tier before it took (a tier without a rule, or none): it is the count of all rows less the others, and
 * the buckets after it hold nobody, so each row is compared with fewer ids.
 */
function tierCounts(rows: string, ids: readonly string[], rest: number): string {
  const counted = ids.slice(0, rest).map((id, t) => `count(*) FILTER (WHERE tier = ${id}) AS n${t}`)
  const columns = ids.map((_, t) =>
    t < rest ? `n${t}` : t > rest ? '0' : ['n', ...counted.map((_, i) => `n${i}`)].join(' - '),
  )
  return `SELECT ${columns.join(', ')} FROM (SELECT ${['count(*) AS n', ...counted].join(', ')} FROM ${rows}) AS counts`
}

/** Whether any of the sides (their SQL) is unknown: a written value is known when compiling, and not tested. */
function unknown(d: Dialect, sides: readonly Expr[], sql: readonly string[]): string {
  const tests = sides.flatMap((side, i) =>
    side.constant ? (side.eval({values: [], index: 0}) === null ? [d.true] : []) : [`${sql[i]} IS NULL`],
  )
  return tests.length === 0 ? d.false : tests.join(' OR ')
}

/** Whether an expression is a customer field stored as an integer column (money in fen, counts): never fractional. */
function storedInteger(e: Expr): boolean {
  return (
    e.op?.kind === 'input' &&
    e.op.input.source === 'field' &&
    (e.op.input.type === 'money' || e.op.input.type === 'number')
  )
}

/** The inputs whose unknown values a run counts (crm_rule_tally's flags, in order): those a tier's rule reads. */
export function tallied(compiled: CompiledScheme): number[] {
  const deciding = new Set(compiled.tiers.flatMap((t) => t.rule?.reads ?? []))
  return compiled.inputs.flatMap((input, i) => (deciding.has(input.name) ? [i] : []))
}

/** Lists of pieces joined by a separator. */
function joined(lists: readonly Piece[][], separator: string): Piece[] {
  return lists.flatMap((list, i) => (i === 0 ? list : [separator, ...list]))
}

/**
 * Whether an expression's values are always whole numbers (amounts in whole fen, counts): sums of them are exact in
 * floating point in any order of addition.
 */
function integral(e: Expr): boolean {
  if (e.constant) {
    const v = e.eval({values: [], index: 0})
    return v === null || typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v))
  }
  const op = e.op
  if (op === undefined) return false
  switch (op.kind) {
    case 'input':
      return op.input.type === 'money' || (op.input.type === 'number' && op.input.source !== 'extra')
    case 'window':
      return groups(op.window.fn)
    case 'neg':
    case 'fen':
      return integral(op.a)
    case 'arith':
      return op.op !== '/' && integral(op.a) && integral(op.b)
    case 'case':
      return op.whens.every((w) => integral(w.result)) && integral(op.otherwise)
    case 'call':
      switch (op.name) {
        case 'days_since':
        case 'age':
        case 'count_true':
        case 'count_unknown':
          return true
        case 'abs':
        case 'coalesce':
        case 'min':
        case 'max':
        case 'nullif':
          return op.args.every(integral)
        case 'if':
          return integral(op.args[1]) && integral(op.args[2])
        default:
          return false
      }
    default:
      return false
  }
}
