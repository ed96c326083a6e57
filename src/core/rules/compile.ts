import {parseDate} from '../dates.js'
import {canonicalFen, formatFen, literalFen, UNIT_SHIFTS} from '../money.js'

export {literalFen}
import {closestMatch} from '../suggest.js'
import {en} from '../messages.js'
import {DERIVED, KEPT, PERSONAL_FIELDS, personalColumnName} from '../masking.js'
import {SME_INDUSTRIES, smeIndustry} from '../schemes/industry.js'
import {type ComparisonOp, type Node, RuleError, type Span} from './parse.js'

/**
 * Type-checks a rule's tree and turns it into a tree of small closures (an interpreter: no eval, no SQL). Money is
 * integer fen; a number meeting money is scaled to fen, and a written number exactly (0.1 is 10 fen, not 10.000…2).
 * An amount is a JS number while it is a safe integer and a bigint beyond (canonicalFen), so amounts past 2^53 fen
 * compare, add and print exactly; numbers that are not money are always JS numbers.
 */

export type ValueType = 'number' | 'money' | 'text' | 'date' | 'bool' | 'null'
export type Value = number | bigint | string | boolean | null

/** Where a rule's name gets its value: a customer field, a column an import kept, or the customer's contacts. */
export interface InputSpec {
  readonly name: string
  readonly type: ValueType
  readonly source: 'field' | 'extra' | 'contact'
  /** For enum fields: every accepted spelling to its canonical value, so 'type = 个人' is checked and understood. */
  readonly values?: Readonly<Record<string, string>>
}

/** One customer being classified: its inputs' values (in Compiler.inputs order) and its place in the portfolio. */
export interface Row {
  values: readonly Value[]
  index: number
}

export type PortfolioFn = 'percent_rank' | 'quintile' | 'ntile' | 'cume_share' | 'mean' | 'median' | 'percentile'

/** Whether a measure's values are groups 1 to k (quintile, ntile), kept in a Uint16Array with 0 for none. */
export function groups(fn: PortfolioFn): boolean {
  return fn === 'quintile' || fn === 'ntile'
}

/** A measure over the whole portfolio (computed by classify.ts before the rules run), read per row. */
export interface Window {
  readonly fn: PortfolioFn
  readonly buckets: number
  readonly arg: Expr
  readonly text: string
  /** percentile()'s fraction, 0 to 1 (median is 0.5). */
  readonly fraction?: number
  /**
   * Per row (NaN for none), or the one value for mean, median and percentile; a quintile's or ntile's group in 2 bytes
   * (0 for none).
   */
  values: Float64Array | Uint16Array
  /** A rank or group whose known inputs are all the same value: it separates no one (set when computed). */
  flat?: boolean
}

export interface Expr {
  readonly type: ValueType
  readonly eval: (row: Row) => Value
  readonly text: string
  readonly span: Span
  /** How trace.ts explains it: a leaf comparison, a connective, a named definition. */
  readonly shape: Shape
  /** The exact decimal text of a written number (for exact conversion to fen). */
  readonly literal?: string
  readonly constant?: boolean
  /** Every text value it can have, when that is a short list (sme_industry's industries): a written one is checked. */
  readonly domain?: readonly string[]
  /** The inputs it reads (through definitions and portfolio measures too): what decides whether it needs --reveal. */
  readonly reads?: readonly string[]
  /** Written literals, within this expression, that stand for personal data (see literalMarks): trace.ts marks them. */
  readonly marks?: readonly Mark[]
  /**
   * What it computes, as a typed tree over its (type-checked, converted) operands: what src/db/rule-sql
   * compiles to SQL.
   * A constant needs none (its value is bound as it is); every other expression has one.
   */
  readonly op?: Op
}

/** An expression's operation and operands, after type checking: money is fen, aliases are canonical values. */
export type Op =
  | {readonly kind: 'input'; readonly input: InputSpec}
  | {readonly kind: 'window'; readonly window: Window}
  | {readonly kind: 'not' | 'neg'; readonly a: Expr}
  | {readonly kind: 'and' | 'or'; readonly parts: readonly Expr[]}
  | {readonly kind: 'arith'; readonly op: '+' | '-' | '*' | '/'; readonly a: Expr; readonly b: Expr}
  | {readonly kind: 'compare'; readonly op: ComparisonOp; readonly a: Expr; readonly b: Expr}
  | {readonly kind: 'in'; readonly negated: boolean; readonly a: Expr; readonly list: readonly Expr[]}
  | {readonly kind: 'between'; readonly negated: boolean; readonly a: Expr; readonly low: Expr; readonly high: Expr}
  | {readonly kind: 'isnull'; readonly negated: boolean; readonly a: Expr}
  | {
      readonly kind: 'like'
      readonly negated: boolean
      readonly insensitive: boolean
      readonly a: Expr
      readonly pattern: Expr
    }
  | {
      readonly kind: 'case'
      readonly whens: readonly {readonly when: Expr; readonly result: Expr}[]
      readonly otherwise: Expr
    }
  /** A function of the language; `places` for round, floor and ceil. */
  | {readonly kind: 'call'; readonly name: string; readonly args: readonly Expr[]; readonly places?: number}
  /** A number (not written) brought to an amount: yuan to fen. */
  | {readonly kind: 'fen'; readonly a: Expr}

/** A written literal (its place in the rule's text) that output masks as `field` (or DERIVED) unless --reveal. */
export interface Mark {
  readonly start: number
  readonly end: number
  readonly field: string
}

/** The literal marks of a list of expressions, and new ones. */
function marksOf(parts: readonly Expr[], more: readonly Mark[] = []): readonly Mark[] | undefined {
  const marks = [...parts.flatMap((p) => p.marks ?? []), ...more]
  return marks.length === 0 ? undefined : marks
}

/**
 * The personal field an expression's value shows, for masking: the field for the field itself (or a name defined
 * as it), DERIVED for anything else computed from personal data, undefined when it reads none.
 */
export function personalFieldOf(e: Expr): string | undefined {
  const input =
    e.shape.kind === 'input'
      ? e.shape
      : e.shape.kind === 'define' && e.shape.target.shape.kind === 'input'
        ? e.shape.target.shape
        : undefined
  // A kept column has no field to say what it holds: its values are masked when they look like personal data.
  if (input?.source === 'extra') return KEPT
  const personal = e.reads?.find((name) => PERSONAL_FIELDS.includes(name))
  if (personal === undefined) return undefined
  return input !== undefined && e.reads!.length === 1 ? personal : DERIVED
}

/**
 * A literal compared with a personal field (phone = '13912345678'), or with text or a date computed from one, gives
 * the masked value away: it is marked to be masked as the field is. (A number compared with one, such as the 60 of
 * age(birth_date) >= 60, is a threshold of the scheme and stays.)
 */
function literalMarks(subject: Expr, literals: readonly Expr[]): Mark[] {
  const field = personalFieldOf(subject)
  if (field === undefined || subject.constant) return []
  if (field === DERIVED && subject.type !== 'text' && subject.type !== 'date') return []
  return literals.filter(written).map((l) => ({start: l.span.start, end: l.span.end, field}))
}

/**
 * The literal arguments of a function over personal data (starts_with(id_number, '110105'), coalesce(phone, '…')),
 * masked as that field, or whole when it reads several.
 */
function argumentMarks(args: readonly Expr[]): Mark[] {
  const personal = args.filter((a) => !a.constant && personalFieldOf(a) !== undefined)
  if (personal.length === 0) return []
  // A part of a personal kept column (starts_with(手机, '138001')) looks like nothing, yet gives digits away: hidden
  // whole.
  if (personal.length === 1 && personalFieldOf(personal[0]) === KEPT && personalColumnName(keptName(personal[0]))) {
    return args.filter(written).map((l) => ({start: l.span.start, end: l.span.end, field: DERIVED}))
  }
  if (personal.length === 1) return literalMarks(personal[0], args)
  return args.filter(written).map((l) => ({start: l.span.start, end: l.span.end, field: DERIVED}))
}

/** The kept column an expression is (itself, or a name defined as it). */
function keptName(e: Expr): string {
  return e.shape.kind === 'define' ? keptName(e.shape.target) : e.shape.kind === 'input' ? e.shape.name : ''
}

/** A literal as written in the rule (not a defined name, nor as_of). */
function written(e: Expr): boolean {
  return e.constant === true && e.shape.kind === 'value'
}

/** The inputs a list of expressions reads, once each. */
function readsOf(parts: readonly Expr[]): readonly string[] | undefined {
  const names = parts.flatMap((p) => p.reads ?? [])
  return names.length === 0 ? undefined : [...new Set(names)]
}

export type Shape =
  | {readonly kind: 'and' | 'or'; readonly parts: readonly Expr[]}
  | {readonly kind: 'not'; readonly part: Expr}
  | {readonly kind: 'define'; readonly name: string; readonly target: Expr}
  | {readonly kind: 'compare'; readonly op: string; readonly sides: readonly Expr[]}
  | {readonly kind: 'input'; readonly name: string; readonly source?: InputSpec['source']}
  | {
      readonly kind: 'case'
      readonly whens: readonly {readonly when: Expr; readonly then: Expr}[]
      readonly otherwise: Expr | null
    }
  /**
   * op and parts: the arithmetic (+ - * /), if(), count_true() or condition as a number ('number') it computes, for
   * explaining a score; absent for the rest.
   */
  | {readonly kind: 'value'; readonly op?: string; readonly parts?: readonly Expr[]}

/** What names mean while compiling: inputs, named definitions and portfolio measures. */
export interface Scope {
  readonly input: (name: string) => InputSpec | undefined
  /** A define:d name's expression; `span` is where the rule being compiled names it (for errors). */
  readonly define: (name: string, span?: Span) => Expr | undefined
  readonly names: () => string[]
  readonly asOf: string
  readonly windows: Window[]
  readonly slots: Map<string, number>
  /** Counts uses of portfolio measures, so rules that must not use them (applies_to, --where) can be checked. */
  portfolioUses: number
}

/** A written number as a JS number ('600万' -> 6000000). */
function literalNumber(text: string): number {
  const shift = UNIT_SHIFTS[text.at(-1)!]
  return shift === undefined ? Number(text) : Number(text.slice(0, -1)) * 10 ** shift
}

const TYPE_NAMES: Readonly<Record<ValueType, string>> = {
  number: en('typeNumber'),
  money: en('typeAmount'),
  text: 'text',
  date: en('typeDate'),
  bool: en('typeCondition'),
  null: 'null',
}

/** Days since 1970-01-01 of an ISO date (its first 10 characters). */
export function epochDay(iso: string): number {
  return Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / 86_400_000
}

/** Full years from an ISO birth date to another ISO date. */
function yearsBetween(from: string, to: string): number {
  const years = +to.slice(0, 4) - +from.slice(0, 4)
  return to.slice(5, 10) < from.slice(5, 10) ? years - 1 : years
}

/**
 * Fen as yuan with two decimals, with integer arithmetic only (formatFen without its bigint, for a million reasons).
 */
function fenText(fen: number): string {
  const abs = fen < 0 ? -fen : fen
  const cents = abs % 100
  return `${fen < 0 ? '-' : ''}${(abs - cents) / 100}.${cents < 10 ? '0' : ''}${cents}`
}

/** A value for people: money in yuan with two decimals, numbers without float noise. */
export function formatValue(value: Value, type: ValueType): string {
  if (value === null) return 'null'
  if (typeof value === 'bigint') return type === 'money' ? formatFen(value) : String(value)
  if (type === 'money' && typeof value === 'number')
    return Number.isSafeInteger(value) ? fenText(value) : (value / 100).toFixed(2)
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)))
  if (typeof value === 'string' && type === 'text') return `'${value}'`
  return String(value)
}

export class Compiler {
  constructor(
    private readonly scope: Scope,
    private readonly source: string,
  ) {}

  /** Compiles a rule that must be a condition. */
  condition(node: Node): Expr {
    const e = this.expr(node)
    if (e.type !== 'bool')
      throw new RuleError(en('notACondition', {type: TYPE_NAMES[e.type]}), e.span, en('compareIt', {text: e.text}))
    return e
  }

  expr(node: Node): Expr {
    const text = this.source.slice(node.span.start, node.span.end)
    const make = (
      type: ValueType,
      evaluate: (row: Row) => Value,
      shape: Shape,
      parts: readonly Expr[] = [],
      extra: Partial<Expr> = {},
    ): Expr => {
      const constant = extra.constant ?? (parts.length > 0 && parts.every((p) => p.constant))
      if (constant && parts.length > 0) {
        const value = evaluate({values: [], index: 0})
        return {type, eval: () => value, text, span: node.span, shape, constant: true, ...extra}
      }
      return {
        type,
        eval: evaluate,
        text,
        span: node.span,
        shape,
        reads: readsOf(parts),
        ...extra,
        constant,
        marks: marksOf(parts, extra.marks),
      }
    }
    switch (node.kind) {
      case 'number': {
        const n = literalNumber(node.text)
        return make('number', () => n, {kind: 'value'}, [], {literal: node.text, constant: true})
      }
      case 'text':
        return make('text', () => node.value, {kind: 'value'}, [], {constant: true})
      case 'bool':
        return make('bool', () => node.value, {kind: 'value'}, [], {constant: true})
      case 'null':
        return make('null', () => null, {kind: 'value'}, [], {constant: true})
      case 'name':
        return this.name(node.name, node.span, text)
      case 'unary': {
        const operand = this.expr(node.operand)
        if (node.op === 'not') {
          this.want(operand, ['bool'], 'not')
          return make(
            'bool',
            (r) => {
              const v = operand.eval(r)
              return v === null ? null : !v
            },
            {kind: 'not', part: operand},
            [operand],
            {op: {kind: 'not', a: operand}},
          )
        }
        if (operand.type === 'bool') {
          const f = asNumber(operand).eval
          return make(
            'number',
            (r) => {
              const v = f(r)
              return v === null ? null : -(v as number)
            },
            {kind: 'value'},
            [operand],
            {op: {kind: 'neg', a: operand}},
          )
        }
        this.want(operand, ['number', 'money'], '-')
        if (operand.literal !== undefined) {
          const lit = operand.literal.startsWith('-') ? operand.literal.slice(1) : `-${operand.literal}`
          const n = literalNumber(lit)
          return make('number', () => n, {kind: 'value'}, [], {literal: lit, constant: true})
        }
        return make(
          operand.type,
          (r) => {
            const v = operand.eval(r)
            return v === null ? null : -(v as number)
          },
          {kind: 'value'},
          [operand],
          {op: {kind: 'neg', a: operand}},
        )
      }
      case 'binary': {
        if (node.op === 'and' || node.op === 'or') return this.connective(node.op, node, make)
        if (node.op === '+' || node.op === '-' || node.op === '*' || node.op === '/')
          return this.arithmetic(node.op, this.expr(node.left), this.expr(node.right), make)
        return this.compare(node.op, this.expr(node.left), this.expr(node.right), make)
      }
      case 'in': {
        const operand = this.expr(node.operand)
        const list = node.list.map((item) => this.expr(item))
        const pairs = list.map((item) => this.comparable(operand, item, 'in'))
        const a = pairs[0][0]
        const values = pairs.map(([, b]) => b)
        if (values.every((v) => v.constant)) {
          const set = new Set(values.map((v) => v.eval({values: [], index: 0})))
          return make(
            'bool',
            (r) => {
              const v = a.eval(r)
              return v === null ? null : set.has(v) !== node.negated
            },
            {kind: 'compare', op: node.negated ? 'not in' : 'in', sides: [a, ...values]},
            [a, ...values],
            {marks: literalMarks(a, values), op: {kind: 'in', negated: node.negated, a, list: values}},
          )
        }
        return make(
          'bool',
          (r) => {
            const v = a.eval(r)
            if (v === null) return null
            return values.some((b) => b.eval(r) === v) !== node.negated
          },
          {kind: 'compare', op: node.negated ? 'not in' : 'in', sides: [a, ...values]},
          [a, ...values],
          {marks: literalMarks(a, values), op: {kind: 'in', negated: node.negated, a, list: values}},
        )
      }
      case 'between': {
        const operand = this.expr(node.operand)
        const [a, low] = this.comparable(operand, this.expr(node.low), 'between')
        const [, high] = this.comparable(operand, this.expr(node.high), 'between')
        this.want(a, ['number', 'money', 'date', 'text'], 'between')
        return make(
          'bool',
          (r) => {
            const v = a.eval(r)
            const lo = low.eval(r)
            const hi = high.eval(r)
            if (v === null || lo === null || hi === null) return null
            return (v >= lo && v <= hi) !== node.negated
          },
          {kind: 'compare', op: node.negated ? 'not between' : 'between', sides: [a, low, high]},
          [a, low, high],
          {marks: literalMarks(a, [low, high]), op: {kind: 'between', negated: node.negated, a, low, high}},
        )
      }
      case 'isnull': {
        const operand = this.expr(node.operand)
        return make(
          'bool',
          (r) => (operand.eval(r) === null) !== node.negated,
          {kind: 'compare', op: node.negated ? 'is not null' : 'is null', sides: [operand]},
          [operand],
          {op: {kind: 'isnull', negated: node.negated, a: operand}},
        )
      }
      case 'like': {
        const [a, pattern] = [this.expr(node.operand), this.expr(node.pattern)]
        const op = `${node.negated ? 'not ' : ''}${node.insensitive ? 'ilike' : 'like'}`
        this.want(a, ['text'], op)
        this.want(pattern, ['text'], op)
        const [f, g] = [a.eval, pattern.eval]
        const matches = likeMatcher(node.insensitive)
        return make(
          'bool',
          (r) => {
            const x = f(r)
            if (x === null) return null
            const p = g(r)
            return p === null ? null : matches(x as string, p as string) !== node.negated
          },
          {kind: 'compare', op, sides: [a, pattern]},
          [a, pattern],
          {
            marks: literalMarks(a, [pattern]),
            op: {kind: 'like', negated: node.negated, insensitive: node.insensitive, a, pattern},
          },
        )
      }
      case 'case':
        return this.caseWhen(node, make)
      case 'call':
        return this.call(node, make)
    }
  }

  /** case when … then … [else …] end: the first when that holds gives the value; none, the else (or null). */
  private caseWhen(node: Extract<Node, {kind: 'case'}>, make: MakeExpr): Expr {
    const whens = node.whens.map((w) => this.expr(w.when))
    for (const w of whens) this.want(w, ['bool'], 'when')
    const elseNode = node.otherwise ?? {kind: 'null' as const, span: {start: node.span.end, end: node.span.end}}
    const results = this.unify([...node.whens.map((w) => this.expr(w.then)), this.expr(elseNode)], 'case')
    const otherwise = results.pop()!
    const type = [...results, otherwise].find((e) => e.type !== 'null')?.type ?? 'null'
    const [conds, values] = [whens.map((w) => w.eval), results.map((e) => e.eval)]
    const shape: Shape = {
      kind: 'case',
      // biome-ignore lint/suspicious/noThenProperty: a case's then, not a promise's
      whens: whens.map((when, i) => ({when, then: results[i]})),
      otherwise: node.otherwise === null ? null : otherwise,
    }
    return make(
      type,
      (r) => {
        for (let i = 0; i < conds.length; i++) if (conds[i](r) === true) return values[i](r)
        return otherwise.eval(r)
      },
      shape,
      [...whens, ...results, otherwise],
      {
        marks: argumentMarks([...results, otherwise]),
        op: {kind: 'case', whens: whens.map((when, i) => ({when, result: results[i]})), otherwise},
      },
    )
  }

  /**
   * A chain a or b or c … as one list of parts, evaluated in a loop: a flat chain of thousands of conditions
   * needs no deeper stack than one condition does.
   */
  private connective(op: 'and' | 'or', node: Node, make: MakeExpr): Expr {
    const nodes: Node[] = []
    const pending: Node[] = [node]
    while (pending.length > 0) {
      const n = pending.pop()!
      if (n.kind === 'binary' && n.op === op) pending.push(n.right, n.left)
      else nodes.push(n)
    }
    const parts = nodes.map((n) => this.expr(n))
    for (const part of parts) this.want(part, ['bool'], op)
    const evals = parts.map((p) => p.eval)
    // Three-valued logic, as SQL: unknown and false is false; unknown or true is true. Left to right, stopping early.
    const decisive = op === 'or'
    const evaluate = (r: Row): Value => {
      let unknown = false
      for (const f of evals) {
        const v = f(r)
        if (v === decisive) return decisive
        if (v === null) unknown = true
      }
      return unknown ? null : !decisive
    }
    return make('bool', evaluate, {kind: op, parts}, parts, {op: {kind: op, parts}})
  }

  private name(name: string, span: Span, text: string): Expr {
    const define = this.scope.define(name, span)
    // The definition's marks are places in its own text, not in this rule's.
    if (define !== undefined)
      return {...define, text, span, shape: {kind: 'define', name, target: define}, marks: undefined}
    if (name === 'as_of') {
      const asOf = this.scope.asOf
      return {type: 'date', eval: () => asOf, text, span, shape: {kind: 'input', name}, constant: true}
    }
    const input = this.scope.input(name)
    if (input === undefined) {
      const names = this.scope.names()
      const near =
        closestMatch(name, names) ??
        names.find((n) => name.startsWith(`${n}_`) || (name.length >= 3 && n.startsWith(name)))
      throw new RuleError(
        en('unknownField', {name}),
        span,
        near ? en('didYouMean', {candidates: `"${near}"`}) : en('declareExtra'),
      )
    }
    let slot = this.scope.slots.get(name)
    if (slot === undefined) {
      slot = this.scope.slots.size
      this.scope.slots.set(name, slot)
    }
    const at = slot
    return {
      type: input.type,
      eval: (r) => r.values[at],
      text,
      span,
      shape: {kind: 'input', name, source: input.source},
      reads: [name],
      op: {kind: 'input', input},
    }
  }

  private want(e: Expr, types: readonly ValueType[], what: string): void {
    if (!types.includes(e.type)) {
      throw new RuleError(
        en('needsType', {
          what,
          types: types.map((t) => TYPE_NAMES[t]).join(' or '),
          text: e.text,
          type: TYPE_NAMES[e.type],
        }),
        e.span,
      )
    }
  }

  /** Brings two sides to one type for comparison (number with money -> fen; a written date with a date). */
  private comparable(a: Expr, b: Expr, what: string): [Expr, Expr] {
    if (a.type === 'null' || b.type === 'null') {
      const e = a.type === 'null' ? a : b
      throw new RuleError(en('nullNeverTrue', {what}), e.span, en('writeIsNull'))
    }
    if (a.type === b.type) return [a, this.enumValue(b, a)]
    if (a.type === 'money' && b.type === 'number') return [a, this.toMoney(b)]
    if (a.type === 'number' && b.type === 'money') return [this.toMoney(a), b]
    if (a.type === 'date' && b.type === 'text' && b.constant) return [a, this.toDate(b)]
    if (a.type === 'text' && b.type === 'date' && a.constant) return [this.toDate(a), b]
    const hint =
      a.shape.kind === 'input' && a.type === 'text' && (b.type === 'number' || b.type === 'money')
        ? en('declareNumberExtra', {name: a.text})
        : undefined
    throw new RuleError(
      en('cannotCompare', {a: a.text, aType: TYPE_NAMES[a.type], b: b.text, bType: TYPE_NAMES[b.type]}),
      {start: a.span.start, end: b.span.end},
      hint,
    )
  }

  /** A text written against an enum field is checked, and an alias (个人) becomes its canonical value. */
  private enumValue(b: Expr, a: Expr): Expr {
    if (a.domain !== undefined && b.type === 'text' && b.constant) {
      const written = b.eval({values: [], index: 0}) as string
      if (!a.domain.includes(written)) {
        const near = closestMatch(written, a.domain)
        throw new RuleError(
          en('neverValue', {name: a.text, value: written}),
          b.span,
          near
            ? en('didYouMean', {candidates: `'${near}'`})
            : en('itIsOneOf', {values: a.domain.map((d) => `'${d}'`).join(', ')}),
        )
      }
      return b
    }
    if (a.shape.kind !== 'input' || b.type !== 'text' || !b.constant) return b
    const spec = this.scope.input(a.shape.name)
    if (spec?.values === undefined) return b
    const written = b.eval({values: [], index: 0}) as string
    const value = spec.values[written.toLowerCase()]
    if (value === undefined) {
      const canonical = [...new Set(Object.values(spec.values))]
      throw new RuleError(
        en('neverValue', {name: a.text, value: written}),
        b.span,
        en('nameIsOneOf', {name: a.text, values: canonical.map((c) => `'${c}'`).join(', ')}),
      )
    }
    return {...b, eval: () => value}
  }

  private toMoney(e: Expr): Expr {
    if (e.literal !== undefined) {
      const fen = literalFen(e.literal)
      return {...e, type: 'money', eval: () => fen}
    }
    const f = e.eval
    return {
      ...e,
      type: 'money',
      eval: (r) => {
        const v = f(r)
        return v === null ? null : (v as number) * 100
      },
      op: {kind: 'fen', a: e},
    }
  }

  private toDate(e: Expr): Expr {
    const written = e.eval({values: [], index: 0}) as string
    const date = parseDate(written)
    if (typeof date !== 'string') throw new RuleError(en('literalNotDate', {text: written}), e.span, en('writeDates'))
    return {...e, type: 'date', eval: () => date}
  }

  private compare(op: ComparisonOp, left: Expr, right: Expr, make: MakeExpr): Expr {
    const [a, b] = this.comparable(left, right, op)
    if (a.type === 'bool' && op !== '=' && op !== '!=')
      throw new RuleError(en('conditionsCompared'), {start: a.span.start, end: b.span.end})
    const l = a.eval
    const r = b.eval
    const test = COMPARE[op]
    return make(
      'bool',
      (row) => {
        const x = l(row)
        if (x === null) return null
        const y = r(row)
        return y === null ? null : test(x, y)
      },
      {kind: 'compare', op, sides: [a, b]},
      [a, b],
      {marks: [...literalMarks(a, [b]), ...literalMarks(b, [a])], op: {kind: 'compare', op, a, b}},
    )
  }

  private arithmetic(op: '+' | '-' | '*' | '/', left: Expr, right: Expr, make: MakeExpr): Expr {
    this.want(left, ['number', 'money', 'bool'], op)
    this.want(right, ['number', 'money', 'bool'], op)
    let a = asNumber(left)
    let b = asNumber(right)
    let type: ValueType = 'number'
    if (op === '+' || op === '-') {
      if (a.type !== b.type) [a, b] = a.type === 'money' ? [a, this.toMoney(b)] : [this.toMoney(a), b]
      type = a.type
    } else if (op === '*') {
      if (a.type === 'money' && b.type === 'money')
        throw new RuleError(en('amountTimesAmount'), {start: a.span.start, end: b.span.end}, en('multiplyByNumber'))
      type = a.type === 'money' || b.type === 'money' ? 'money' : 'number'
    } else {
      if (a.type === 'number' && b.type === 'money')
        throw new RuleError(en('numberByAmount'), {start: a.span.start, end: b.span.end})
      type = a.type === 'money' && b.type === 'number' ? 'money' : 'number'
    }
    const l = a.eval
    const r = b.eval
    const apply = a.type === 'money' || b.type === 'money' ? MONEY_ARITHMETIC[op] : ARITHMETIC[op]
    return make(
      type,
      (row) => {
        const x = l(row)
        const y = r(row)
        return x === null || y === null ? null : apply(x as number, y as number)
      },
      {kind: 'value', op, parts: [a, b]},
      [a, b],
      {op: {kind: 'arith', op, a, b}},
    )
  }

  private call(node: Extract<Node, {kind: 'call'}>, base: MakeExpr): Expr {
    const fn = FUNCTIONS[node.name]
    if (fn === undefined) {
      const near = closestMatch(node.name, Object.keys(FUNCTIONS))
      throw new RuleError(
        en('unknownFunction', {name: node.name}),
        node.nameSpan,
        near
          ? en('didYouMean', {candidates: `${near}()`})
          : en('functionsAre', {names: Object.keys(FUNCTIONS).join(', ')}),
      )
    }
    if (node.args.length < fn.min || node.args.length > fn.max) {
      const params = {name: node.name, usage: fn.usage}
      const message =
        fn.min === fn.max
          ? en(fn.min === 1 ? 'takesArgument' : 'takesArguments', {...params, count: fn.min})
          : fn.max === Infinity
            ? en('takesArgumentsAtLeast', {...params, min: fn.min})
            : en('takesArgumentsRange', {...params, min: fn.min, max: fn.max})
      throw new RuleError(message, node.span)
    }
    if (fn.portfolio) return this.portfolio(node, base)
    const args = node.args.map((a) => this.expr(a))
    // Each function's operands, as evaluated, are its typed tree's arguments.
    const make: MakeExpr = (type, evaluate, shape, parts = [], extra = {}) =>
      base(type, evaluate, shape, parts, {op: {kind: 'call', name: node.name, args: parts}, ...extra})
    const asOf = this.scope.asOf
    const asOfDay = epochDay(asOf)
    const want = (i: number, types: readonly ValueType[]) => this.want(args[i], types, `${node.name}()`)
    switch (node.name) {
      case 'days_since': {
        want(0, ['date'])
        const f = args[0].eval
        return make(
          'number',
          (r) => {
            const v = f(r)
            return v === null ? null : asOfDay - epochDay(v as string)
          },
          {kind: 'value'},
          args,
        )
      }
      case 'age': {
        want(0, ['date'])
        const f = args[0].eval
        return make(
          'number',
          (r) => {
            const v = f(r)
            return v === null ? null : yearsBetween(v as string, asOf)
          },
          {kind: 'value'},
          args,
        )
      }
      case 'abs': {
        want(0, ['number', 'money'])
        const f = args[0].eval
        return make(
          args[0].type,
          (r) => {
            const v = f(r) as number | bigint | null
            return v === null ? null : v < 0 ? -v : v
          },
          {kind: 'value'},
          args,
        )
      }
      case 'coalesce':
      case 'min':
      case 'max': {
        const unified = this.unify(args, node.name)
        if (node.name !== 'coalesce') this.want(unified[0], ['number', 'money', 'date', 'text'], `${node.name}()`)
        const fs = unified.map((a) => a.eval)
        const type = unified.find((a) => a.type !== 'null')?.type ?? 'null'
        if (node.name === 'coalesce') {
          return make(
            type,
            (r) => {
              for (const f of fs) {
                const v = f(r)
                if (v !== null) return v
              }
              return null
            },
            {kind: 'value'},
            unified,
            {marks: argumentMarks(unified)},
          )
        }
        const better = node.name === 'min' ? (x: Value, y: Value) => x! < y! : (x: Value, y: Value) => x! > y!
        return make(
          type,
          (r) => {
            let best: Value = null
            for (const f of fs) {
              const v = f(r)
              if (v !== null && (best === null || better(v, best))) best = v
            }
            return best
          },
          {kind: 'value'},
          unified,
          {marks: argumentMarks(unified)},
        )
      }
      case 'if': {
        want(0, ['bool'])
        const [then, otherwise] = this.unify(args.slice(1), 'if()')
        const c = args[0].eval
        return make(
          then.type === 'null' ? otherwise.type : then.type,
          (r) => (c(r) === true ? then.eval(r) : otherwise.eval(r)),
          {kind: 'value', op: 'if', parts: [args[0], then, otherwise]},
          [args[0], then, otherwise],
        )
      }
      case 'contains':
      case 'starts_with': {
        want(0, ['text'])
        want(1, ['text'])
        const [f, g] = [args[0].eval, args[1].eval]
        const test =
          node.name === 'contains' ? (x: string, y: string) => x.includes(y) : (x: string, y: string) => x.startsWith(y)
        return make(
          'bool',
          (r) => {
            const x = f(r)
            const y = g(r)
            return x === null || y === null ? null : test(x as string, y as string)
          },
          {kind: 'value'},
          args,
          {marks: argumentMarks(args)},
        )
      }
      case 'lower':
      case 'upper':
      case 'trim': {
        want(0, ['text'])
        const f = args[0].eval
        const change = TEXT_FUNCTIONS[node.name]
        return make(
          'text',
          (r) => {
            const v = f(r)
            return v === null ? null : change(v as string)
          },
          {kind: 'value'},
          args,
        )
      }
      case 'round':
      case 'floor':
      case 'ceil': {
        want(0, ['number', 'money'])
        let places = 0
        if (args.length > 1) {
          const n = args[1].constant ? args[1].eval({values: [], index: 0}) : null
          if (typeof n !== 'number' || !Number.isInteger(n) || n < -12 || n > 12)
            throw new RuleError(en('roundPlaces'), args[1].span, en('roundExample'))
          places = n
        }
        const f = args[0].eval
        const mode = node.name as RoundMode
        // Money rounds in yuan, as it is written: round(aum, 0) is whole yuan, floor(aum) the yuan below.
        const apply =
          args[0].type === 'money'
            ? (v: number | bigint) => roundFen(v, places, mode)
            : (v: number | bigint) => roundDecimal(Number(v), places, mode)
        return make(
          args[0].type,
          (r) => {
            const v = f(r)
            return v === null ? null : apply(v as number | bigint)
          },
          {kind: 'value'},
          [args[0]],
          {op: {kind: 'call', name: node.name, args: [args[0]], places}},
        )
      }
      case 'nullif': {
        const [a, b] = this.comparable(args[0], args[1], 'nullif()')
        const [f, g] = [a.eval, b.eval]
        return make(
          a.type,
          (r) => {
            const x = f(r)
            return x !== null && x === g(r) ? null : x
          },
          {kind: 'value'},
          [a, b],
          {marks: argumentMarks([a, b])},
        )
      }
      case 'count_true':
      case 'count_unknown': {
        for (let i = 0; i < args.length; i++) want(i, ['bool'])
        const fs = args.map((a) => a.eval)
        // Unknown is not true: a points score counts what is known to hold; count_unknown says how much is not known.
        const counted: Value = node.name === 'count_true' ? true : null
        return make(
          'number',
          (r) => {
            let n = 0
            for (const f of fs) if (f(r) === counted) n++
            return n
          },
          {kind: 'value', op: node.name, parts: args},
          args,
        )
      }
      case 'sme_industry': {
        want(0, ['text'])
        const f = args[0].eval
        return make(
          'text',
          (r) => {
            const v = f(r)
            return v === null ? null : smeIndustry(v as string)
          },
          {kind: 'value'},
          args,
          {domain: SME_INDUSTRIES},
        )
      }
      default:
        throw new RuleError(en('unknownFunction', {name: node.name}), node.nameSpan)
    }
  }

  /** Portfolio measures read a value computed over every customer being classified (classify.ts fills it in). */
  private portfolio(node: Extract<Node, {kind: 'call'}>, make: MakeExpr): Expr {
    const fn = node.name as PortfolioFn
    let buckets = 5
    let argNode = node.args[0]
    let fraction = fn === 'median' ? 0.5 : undefined
    if (fn === 'percentile') {
      const p = this.expr(node.args[0])
      const value = p.constant ? p.eval({values: [], index: 0}) : null
      if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
        const hint =
          typeof value === 'number' && value > 1 && value <= 100
            ? en('percentileAsFraction', {fraction: value / 100, value})
            : en('percentileExample')
        throw new RuleError(en('percentileFraction'), p.span, hint)
      }
      fraction = value
      argNode = node.args[1]
    }
    if (fn === 'ntile') {
      const n = this.expr(node.args[0])
      const count = n.constant ? n.eval({values: [], index: 0}) : null
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 2 || count > 1000)
        throw new RuleError(en('ntileGroups'), n.span, en('ntileExample'))
      buckets = count
      argNode = node.args[1]
    }
    const usesBefore = this.scope.portfolioUses
    const arg = this.expr(argNode)
    if (this.scope.portfolioUses > usesBefore)
      throw new RuleError(en('nestedMeasure', {name: fn}), arg.span, en('defineInner'))
    this.want(
      arg,
      fn === 'quintile' || fn === 'ntile' || fn === 'percent_rank'
        ? ['number', 'money', 'date', 'text']
        : ['number', 'money'],
      `${fn}()`,
    )
    const existing = this.scope.windows.find(
      (w) => w.fn === fn && w.buckets === buckets && w.fraction === fraction && w.text === arg.text,
    )
    const window: Window = existing ?? {
      fn,
      buckets,
      fraction,
      arg,
      text: arg.text,
      values: groups(fn) ? new Uint16Array(0) : new Float64Array(0),
    }
    if (existing === undefined) this.scope.windows.push(window)
    this.scope.portfolioUses++
    const single = fn === 'mean' || fn === 'median' || fn === 'percentile'
    const type: ValueType = single && arg.type === 'money' ? 'money' : 'number'
    const evaluate = single
      ? () => {
          const v = window.values[0]
          return Number.isNaN(v) ? null : v
        }
      : groups(fn)
        ? (r: Row) => {
            const v = window.values[r.index]
            return v === 0 ? null : v
          }
        : (r: Row) => {
            const v = window.values[r.index]
            return Number.isNaN(v) ? null : v
          }
    return make(type, evaluate, {kind: 'value'}, [], {constant: false, reads: arg.reads, op: {kind: 'window', window}})
  }

  private unify(args: readonly Expr[], what: string): Expr[] {
    const known = args.filter((a) => a.type !== 'null')
    if (known.some((a) => a.type === 'money')) return args.map((a) => (a.type === 'number' ? this.toMoney(a) : a))
    const date = known.find((a) => a.type === 'date')
    if (date) return args.map((a) => (a.type === 'text' && a.constant ? this.toDate(a) : a))
    for (const a of known) {
      if (a.type !== known[0].type)
        throw new RuleError(
          en('mixesTypes', {
            what,
            aType: TYPE_NAMES[known[0].type],
            a: known[0].text,
            bType: TYPE_NAMES[a.type],
            b: a.text,
          }),
          a.span,
        )
    }
    return [...args]
  }
}

/**
 * A condition as a number, as SQL: true 1, false 0, unknown stays unknown; anything else as it is. The shape keeps
 * the condition, so an explanation can say whether it held ((inactive)*3 + (older)*2).
 */
function asNumber(e: Expr): Expr {
  if (e.type !== 'bool') return e
  const f = e.eval
  return {
    ...e,
    type: 'number',
    eval: (r) => {
      const v = f(r)
      return v === null ? null : v ? 1 : 0
    },
    shape: {kind: 'value', op: 'number', parts: [e]},
  }
}

export const TEXT_FUNCTIONS: Readonly<Record<string, (text: string) => string>> = {
  lower: (t) => t.toLowerCase(),
  upper: (t) => t.toUpperCase(),
  trim: (t) => t.trim(),
}

/**
 * like: % any run of characters, _ exactly one, \ before either (or itself) the character itself, as PostgreSQL's
 * default escape; ilike ignores case. Matched by walking text and pattern (at most their lengths multiplied), not by
 * a regular expression that a pattern of many % could make backtrack for ever. The last pattern is kept, so a
 * written pattern is read once.
 */
export function likeMatcher(insensitive: boolean): (text: string, pattern: string) => boolean {
  let last: string | undefined
  let tokens: (string | typeof ANY | typeof ONE)[] = []
  const fold = insensitive ? (t: string) => t.toLowerCase() : (t: string) => t
  return (text, pattern) => {
    if (pattern !== last) {
      const chars = Array.from(fold(pattern))
      tokens = []
      for (let i = 0; i < chars.length; i++) {
        const c = chars[i]
        if (c === '\\' && i + 1 < chars.length) tokens.push(chars[++i])
        else if (c === '%') {
          if (tokens.at(-1) !== ANY) tokens.push(ANY)
        } else tokens.push(c === '_' ? ONE : c)
      }
      last = pattern
    }
    return likeMatch(tokens, Array.from(fold(text)))
  }
}

const ANY = 0
const ONE = 1

/** Wildcard matching that goes back only to the last % seen. */
function likeMatch(pattern: readonly (string | number)[], text: readonly string[]): boolean {
  let p = 0
  let i = 0
  let star = -1
  let resume = 0
  while (i < text.length) {
    const t = pattern[p]
    if (t === ANY) {
      star = p++
      resume = i
    } else if (p < pattern.length && (t === ONE || t === text[i])) {
      p++
      i++
    } else if (star >= 0) {
      p = star + 1
      i = ++resume
    } else return false
  }
  while (pattern[p] === ANY) p++
  return p === pattern.length
}

export type RoundMode = 'round' | 'floor' | 'ceil'

/**
 * A number rounded to decimal places as it is written (2.675 to 2 places is 2.68, as in SQL's numeric): the shift
 * is done on the decimal exponent, not by multiplying in binary. round rounds halves away from zero.
 */
export function roundDecimal(x: number, places: number, mode: RoundMode): number {
  if (!Number.isFinite(x)) return x
  const shift = (v: number, by: number) => {
    const [m, e = '0'] = String(v).split('e')
    return Number(`${m}e${Number(e) + by}`)
  }
  const scaled = shift(x, places)
  if (!Number.isFinite(scaled)) return x // beyond 1e308 once shifted: nothing left to round
  const whole =
    mode === 'floor'
      ? Math.floor(scaled)
      : mode === 'ceil'
        ? Math.ceil(scaled)
        : Math.sign(scaled) * Math.round(Math.abs(scaled))
  return shift(whole, -places) || 0
}

/** Fen rounded to decimal places of yuan (0: whole yuan, -4: whole 万), exactly for whole fen of any size. */
export function roundFen(fen: number | bigint, places: number, mode: RoundMode): number | bigint {
  if (places >= 2 && isWhole(fen)) return fen
  if (typeof fen === 'number' && !Number.isInteger(fen)) return roundDecimal(fen, places - 2, mode)
  const v = BigInt(fen)
  const unit = 10n ** BigInt(2 - places)
  const rest = v % unit // takes the sign of v
  let down = v - rest
  if (mode === 'floor' && rest < 0n) down -= unit
  else if (mode === 'ceil' && rest > 0n) down += unit
  else if (mode === 'round' && 2n * (rest < 0n ? -rest : rest) >= unit) down += rest < 0n ? -unit : unit
  return canonicalFen(down)
}

type MakeExpr = (
  type: ValueType,
  evaluate: (row: Row) => Value,
  shape: Shape,
  parts?: readonly Expr[],
  extra?: Partial<Expr>,
) => Expr

const COMPARE: Readonly<Record<ComparisonOp, (x: NonNullable<Value>, y: NonNullable<Value>) => boolean>> = {
  '=': (x, y) => x === y,
  '!=': (x, y) => x !== y,
  '<': (x, y) => x < y,
  '<=': (x, y) => x <= y,
  '>': (x, y) => x > y,
  '>=': (x, y) => x >= y,
}

const ARITHMETIC: Readonly<Record<'+' | '-' | '*' | '/', (x: number, y: number) => number | null>> = {
  '+': (x, y) => x + y,
  '-': (x, y) => x - y,
  '*': (x, y) => x * y,
  '/': (x, y) => (y === 0 ? null : x / y),
}

/**
 * Arithmetic with an amount: whole fen are added, subtracted and multiplied exactly, as bigints once a JS number
 * would round; anything with a fraction (aum * 0.8, a division) is computed in floating point.
 */
const MONEY_ARITHMETIC: Readonly<
  Record<'+' | '-' | '*' | '/', (x: number | bigint, y: number | bigint) => number | bigint | null>
> = {
  '+': (x, y) =>
    wholeFen(
      x,
      y,
      (p, q) => p + q,
      (p, q) => p + q,
    ),
  '-': (x, y) =>
    wholeFen(
      x,
      y,
      (p, q) => p - q,
      (p, q) => p - q,
    ),
  '*': (x, y) =>
    wholeFen(
      x,
      y,
      (p, q) => p * q,
      (p, q) => p * q,
    ),
  '/': (x, y) => ARITHMETIC['/'](Number(x), Number(y)),
}

function wholeFen(
  x: number | bigint,
  y: number | bigint,
  inNumbers: (p: number, q: number) => number,
  inBigints: (p: bigint, q: bigint) => bigint,
): number | bigint {
  if (typeof x === 'number' && typeof y === 'number') {
    const result = inNumbers(x, y)
    if (Number.isSafeInteger(result) || !Number.isInteger(x) || !Number.isInteger(y)) return result
  } else if (!isWhole(x) || !isWhole(y)) return inNumbers(Number(x), Number(y))
  return canonicalFen(inBigints(BigInt(x), BigInt(y)))
}

function isWhole(v: number | bigint): boolean {
  return typeof v === 'bigint' || Number.isInteger(v)
}

interface FunctionSpec {
  readonly min: number
  readonly max: number
  readonly usage: string
  readonly portfolio?: boolean
}

/** Every function a rule may call (documented in the README). */
export const FUNCTIONS: Readonly<Record<string, FunctionSpec>> = {
  days_since: {min: 1, max: 1, usage: 'days_since(date): days from the date to the as-of date'},
  age: {min: 1, max: 1, usage: 'age(birth_date): full years at the as-of date'},
  coalesce: {min: 2, max: Infinity, usage: 'coalesce(a, b, …): the first value that is not null'},
  min: {min: 2, max: Infinity, usage: 'min(a, b, …): the smallest known value'},
  max: {min: 2, max: Infinity, usage: 'max(a, b, …): the largest known value'},
  abs: {min: 1, max: 1, usage: 'abs(x)'},
  if: {min: 3, max: 3, usage: 'if(condition, then, otherwise)'},
  contains: {min: 2, max: 2, usage: "contains(text, 'part')"},
  starts_with: {min: 2, max: 2, usage: "starts_with(text, 'prefix')"},
  lower: {min: 1, max: 1, usage: 'lower(text)'},
  upper: {min: 1, max: 1, usage: 'upper(text)'},
  trim: {min: 1, max: 1, usage: 'trim(text): without spaces at either end'},
  round: {
    min: 1,
    max: 2,
    usage: 'round(x, places): halves away from zero; an amount in yuan, round(aum, -4) to whole 万',
  },
  floor: {min: 1, max: 1, usage: 'floor(x): the whole number (or whole yuan) at or below x'},
  ceil: {min: 1, max: 1, usage: 'ceil(x): the whole number (or whole yuan) at or above x'},
  nullif: {min: 2, max: 2, usage: 'nullif(a, b): null when a = b, else a'},
  count_true: {min: 1, max: Infinity, usage: 'count_true(cond, cond, …): how many hold (unknown does not)'},
  count_unknown: {min: 1, max: Infinity, usage: 'count_unknown(cond, cond, …): how many are unknown'},
  sme_industry: {
    min: 1,
    max: 1,
    usage: 'sme_industry(industry): the 2011 SME standard industry of a GB/T 4754 code, section letter or Chinese name',
  },
  percent_rank: {
    min: 1,
    max: 1,
    usage: 'percent_rank(x): 0 for the lowest known value in the portfolio, 1 for the highest; null when x is',
    portfolio: true,
  },
  quintile: {
    min: 1,
    max: 1,
    usage: 'quintile(x): ntile(5, x), 1 for the lowest fifth of the known values … 5 for the highest; ties share one',
    portfolio: true,
  },
  ntile: {
    min: 2,
    max: 2,
    usage: 'ntile(n, x): ceil(n × the share of known values <= x), 1 … n; ties share one, null when x is',
    portfolio: true,
  },
  cume_share: {
    min: 1,
    max: 1,
    usage: "cume_share(x): the share of the portfolio's total x held by customers ranked at or above this one",
    portfolio: true,
  },
  mean: {min: 1, max: 1, usage: 'mean(x): the average over the portfolio', portfolio: true},
  median: {
    min: 1,
    max: 1,
    usage: 'median(x): the middle value over the portfolio (percentile(0.5, x))',
    portfolio: true,
  },
  percentile: {
    min: 2,
    max: 2,
    usage:
      "percentile(p, x): the value below which a fraction p (0 to 1) of the portfolio's x lies, interpolated as " +
      "PostgreSQL's percentile_cont",
    portfolio: true,
  },
}
