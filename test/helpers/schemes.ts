import {classifyPortfolio, type PortfolioRow} from '../../src/core/classify.js'
import type {Value} from '../../src/core/rules/compile.js'
import {BUILTIN_SCHEMES} from '../../src/core/schemes/builtin/index.js'
import {type CompiledScheme, compileScheme, loadScheme} from '../../src/core/schemes/scheme.js'

export const AS_OF = '2026-11-28'

export function builtin(name: string, asOf = AS_OF): CompiledScheme {
  return compileScheme(loadScheme(BUILTIN_SCHEMES[name], name), asOf)
}

export function fromText(text: string, asOf = AS_OF): CompiledScheme {
  return compileScheme(loadScheme(text, 'test.yaml'), asOf)
}

/** Rows given by input name (money in fen), classified; returns each row's tier id ('' none, null not applicable). */
export function tiersOf(compiled: CompiledScheme, customers: readonly Record<string, Value>[]): (string | null)[] {
  const rows: PortfolioRow[] = customers.map((c, i) => ({
    key: String(c.customer_id ?? `k${String(i).padStart(6, '0')}`),
    values: compiled.inputs.map((input) => c[input.name] ?? (input.name === 'contacts_12m' ? 0 : null)),
  }))
  const result = classifyPortfolio(compiled, rows)
  const out: (string | null)[] = customers.map(() => null)
  result.members.forEach((at, m) => {
    out[at] = result.tiers[m] < 0 ? '' : compiled.tiers[result.tiers[m]].tier.id
  })
  return out
}

export function tierOne(compiled: CompiledScheme, customer: Record<string, Value>): string | null {
  return tiersOf(compiled, [customer])[0]
}

/** Yuan (or 万元 when given as a string ending in 万) to fen, exactly. */
export const fen = (yuan: number) => Math.round(yuan * 100)
export const wan = (amount: number) => Math.round(amount * 1_000_000)
