import type {Database} from 'better-sqlite3'
import {looksPersonal} from '../../core/masking.js'
import {
  formatValue,
  type InputSpec,
  likeMatcher,
  type RoundMode,
  roundDecimal,
  roundFen,
  TEXT_FUNCTIONS,
  type Value,
  type ValueType,
} from '../../core/rules/compile.js'
import {shownValue} from '../../core/rules/trace.js'
import {smeIndustry} from '../../core/schemes/industry.js'
import {inputProblem, inputValue} from '../../core/schemes/inputs.js'

/**
 * The functions the compiled SQL calls where SQLite's own would mean something else: its lower, upper and LIKE know
 * ASCII only and its trim strips spaces only, while the rule language's are Unicode; round, sme_industry, reading a
 * kept column as its declared type and the text of a value in a reason are the interpreter's own code. Each is
 * deterministic, so SQLite may evaluate it once for equal arguments. `kept` are the scheme's kept columns, in the
 * order crm_rule_problem takes their raw text.
 */
export function registerRuleFunctions(db: Database, kept: readonly InputSpec[]): void {
  const fn = (name: string, f: (...args: never[]) => unknown) =>
    db.function(
      `crm_rule_${name}`,
      {deterministic: true, varargs: f.length === 0},
      f as (...args: unknown[]) => unknown,
    )
  for (const name of ['lower', 'upper', 'trim'] as const) {
    const change = TEXT_FUNCTIONS[name]
    fn(name, (v: unknown) => (v === null ? null : change(String(v))))
  }
  const like = [likeMatcher(false), likeMatcher(true)]
  fn('like', (text: unknown, pattern: unknown, insensitive: unknown) =>
    like[insensitive ? 1 : 0](String(text), String(pattern)) ? 1 : 0,
  )
  fn('round', (v: unknown, places: unknown, mode: unknown, money: unknown) => {
    if (v === null) return null
    const x = v as number | bigint
    return money
      ? roundFen(x, Number(places), mode as RoundMode)
      : roundDecimal(Number(x), Number(places), mode as RoundMode)
  })
  fn('sme_industry', (v: unknown) => (v === null ? null : smeIndustry(String(v))))
  const types = new Map(kept.map((k) => [k.name, k]))
  fn('input', (raw: unknown, name: unknown) => bindable(inputValue(types.get(String(name))!, textOf(raw))))
  // Its arguments: the raw text of each kept column that is not text, in the scheme's order (compile.ts).
  const typed = kept.filter((k) => k.type !== 'text')
  fn('problem', (...raws: unknown[]) => {
    let problem: string | null = null
    typed.forEach((input, i) => {
      const wrong = inputProblem(input, textOf(raws[i]))
      if (wrong !== null) problem = problem === null ? wrong : `${problem}; ${wrong}`
    })
    return problem
  })
  fn('value_text', (v: unknown, type: unknown) => formatValue(v as Value, type as ValueType))
  fn('shown', (v: unknown, type: unknown, field: unknown) =>
    shownValue(type === 'bool' && v !== null ? Boolean(v) : (v as Value), type as ValueType, String(field)),
  )
  fn('looks_personal', (v: unknown) => (v !== null && looksPersonal(String(v)) ? 1 : 0))
}

/** The functions that count a run as it is stored (Tally), called once per row for that: not deterministic. */
export function registerTally(db: Database, tally: Tally): void {
  db.function('crm_rule_tally', {deterministic: false, varargs: true}, (...args: unknown[]) => tally.add(args))
}

/**
 * What a run reports besides its results, counted while the statement that stores them runs: per input the members
 * whose value is unknown, and per measure whether every known argument is one value (Window.flat). The statement calls
 * it only for the members that may change these (compile.ts); the tiers are counted in SQL.
 */
export class Tally {
  readonly nulls: number[]
  private readonly known: number[]
  private readonly first: unknown[]
  private readonly differs: boolean[]

  /**
   * `inputs`: how many inputs the scheme reads; `tallied`: which of them crm_rule_tally flags (the others count no
   * unknown values); `windows`: how many measures.
   */
  constructor(
    inputs: number,
    private readonly tallied: readonly number[],
    windows: number,
  ) {
    this.nulls = new Array<number>(inputs).fill(0)
    this.known = new Array<number>(windows).fill(0)
    this.first = new Array<unknown>(windows).fill(null)
    this.differs = new Array<boolean>(windows).fill(false)
  }

  /** crm_rule_tally(whether each tallied input is unknown, …, each measure's argument, …): always true. */
  add(args: readonly unknown[]): 1 {
    const flags = this.tallied.length
    for (let i = 0; i < flags; i++) if (args[i]) this.nulls[this.tallied[i]]++
    for (let w = 0; w < this.known.length; w++) {
      const v = args[flags + w]
      if (v === null) continue
      if (this.known[w]++ === 0) this.first[w] = v
      else if (v !== this.first[w]) this.differs[w] = true
    }
    return 1
  }

  /** Whether measure `w`'s known arguments were more than one, all the same. */
  flat(w: number): boolean {
    return this.known[w] > 1 && !this.differs[w]
  }
}

/** A kept column's JSON value as the text the interpreter reads (String of it), or null. */
function textOf(raw: unknown): string | null {
  return raw === null || raw === undefined ? null : String(raw)
}

/** A value as SQLite takes it: a condition as 1 or 0. */
export function bindable(v: Value): number | bigint | string | null {
  return typeof v === 'boolean' ? (v ? 1 : 0) : v
}
