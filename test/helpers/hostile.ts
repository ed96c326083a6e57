import {expect} from 'vitest'
import type {CliResult} from './cli.js'

/**
 * The one assertion every hostile case makes: whatever a user feeds or types gets a clear result, never
 * `internal error` (exit 1). With `exit`, the exit code must be that one too.
 */
export function expectHandled(result: CliResult, exit?: number): void {
  const shown = `exit ${result.code}\n--- stdout ---\n${result.stdout.slice(0, 2000)}\n--- stderr ---\n${result.stderr.slice(0, 2000)}`
  expect(`${result.stdout}\n${result.stderr}`, shown).not.toMatch(/internal error/i)
  expect(result.code, shown).not.toBe(1)
  if (exit !== undefined) expect(result.code, shown).toBe(exit)
}
