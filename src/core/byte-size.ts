import {en} from './messages.js'

/** Sizes as people write them: 1MB, 500KB, 2.5 MB, or a number of bytes. KB, MB and GB are powers of 1000. */
const UNITS: Record<string, number> = {'': 1, b: 1, k: 1e3, kb: 1e3, m: 1e6, mb: 1e6, g: 1e9, gb: 1e9}

/** Parses '1MB', '512 KB' or '2000000' into bytes. Returns an error message instead of guessing. */
export function parseByteSize(text: string): number | {error: string} {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim())
  const unit = m ? UNITS[m[2].toLowerCase()] : undefined
  if (!m || unit === undefined) return {error: en('notASize', {text})}
  const bytes = Math.round(Number(m[1]) * unit)
  if (bytes < 1) return {error: en('sizeTooSmall', {text})}
  return bytes
}

/** A size for a message: 3.2 MB, 640 KB, 812 bytes. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`
  const [unit, size] = bytes < 1e6 ? ['KB', bytes / 1e3] : bytes < 1e9 ? ['MB', bytes / 1e6] : ['GB', bytes / 1e9]
  return `${size.toFixed(1).replace(/\.0$/, '')} ${unit}`
}

/** A size and a limit for a message, in bytes when rounding would make them look the same (1 MB and 1 MB). */
export function formatSizes(size: number, limit: number): [string, string] {
  const [a, b] = [formatBytes(size), formatBytes(limit)]
  if (a !== b) return [a, b]
  return [`${size.toLocaleString('en-US')} bytes`, `${limit.toLocaleString('en-US')}-byte`]
}
