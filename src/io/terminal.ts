import {Chalk, type ChalkInstance} from 'chalk'
import type {Lang} from '../core/messages.js'

/** Colour only on a terminal; NO_COLOR turns it off and FORCE_COLOR on, as everywhere else. */
export function colorLevel(stream: NodeJS.WriteStream = process.stdout): 0 | 1 | 2 | 3 {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return 0
  const force = process.env.FORCE_COLOR
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0
    const level = Number.parseInt(force, 10)
    return Number.isNaN(level) || force === '' || force === 'true' ? 1 : (Math.min(Math.max(level, 1), 3) as 1 | 2 | 3)
  }
  return stream.isTTY ? 2 : 0
}

export function makeChalk(stream: NodeJS.WriteStream = process.stdout): ChalkInstance {
  return new Chalk({level: colorLevel(stream)})
}

export type {Lang}

/** --lang wins; otherwise a Chinese locale in LC_ALL, LC_MESSAGES or LANG means Chinese. */
export function resolveLang(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): Lang {
  if (flag === 'zh' || flag === 'en') return flag
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || ''
  return locale.toLowerCase().startsWith('zh') ? 'zh' : 'en'
}
