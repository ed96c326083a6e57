import {spawn} from 'node:child_process'
import {BIN, type CliResult, ROOT} from './cli.js'

/**
 * crm() without blocking, so independent cases can run side by side (it.concurrent): the same environment and result.
 */
export function crmLater(args: readonly string[], options: {env?: Record<string, string>} = {}): Promise<CliResult> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      NO_COLOR: '1',
      FORCE_COLOR: undefined,
      LANG: 'en_US.UTF-8',
      LC_ALL: undefined,
      ...options.env,
    } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    stdout += text
  })
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr += text
  })
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => resolve({code: code ?? -1, stdout, stderr}))
  })
}
