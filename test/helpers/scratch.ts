import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {parse} from 'csv-parse/sync'
import iconv from 'iconv-lite'

/** Files and databases made fresh in one folder, each name numbered so no two tests share one. */
export function scratchIn(dir: string): {file(name: string, content: string | Buffer): string; db(): string} {
  let made = 0
  return {
    file(name, content) {
      const path = join(dir, `${++made}-${name}`)
      writeFileSync(path, content)
      return path
    },
    db: () => join(dir, `${++made}.db`),
  }
}

/** A reject file's rows (header included), read in its encoding. */
export function rejectsOf(path: string, encoding = 'utf8'): string[][] {
  const text = encoding === 'utf8' ? readFileSync(path, 'utf8') : iconv.decode(readFileSync(path), encoding)
  return parse(text, {bom: true, relax_column_count: true}) as string[][]
}
