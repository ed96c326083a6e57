import {spawn, spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'

export const ROOT = resolve(import.meta.dirname, '../..')
export const BIN = join(ROOT, 'bin/run.js')

export interface CliResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs the built crm as a user would, with no terminal and no colour. */
export function crm(
  args: readonly string[],
  options: {input?: string | Buffer; env?: Record<string, string>; cwd?: string} = {},
): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    input: options.input ?? '',
    cwd: options.cwd ?? ROOT,
    env: {
      ...process.env,
      NO_COLOR: '1',
      FORCE_COLOR: undefined,
      LANG: 'en_US.UTF-8',
      LC_ALL: undefined,
      ...options.env,
    } as NodeJS.ProcessEnv,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  })
  return {code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr}
}

/** Starts crm without waiting (for the kill -9 and concurrency tests). */
export function crmAsync(args: readonly string[], env: Record<string, string> = {}) {
  return spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: {...process.env, NO_COLOR: '1', ...env},
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

/** A temporary folder, removed by the returned cleanup function. */
export function tempDir(): {dir: string; db: string; cleanup: () => void} {
  const dir = mkdtempSync(join(tmpdir(), 'crm-test-'))
  return {dir, db: join(dir, 'crm.db'), cleanup: () => rmSync(dir, {recursive: true, force: true})}
}

export function json<T = Record<string, unknown>>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T
  } catch {
    throw new Error(`not JSON (exit ${result.code}):\n${result.stdout}\n--- stderr ---\n${result.stderr}`)
  }
}
