import {mkdirSync, statSync} from 'node:fs'
import {dirname} from 'node:path'

/**
 * Creates a folder and the missing ones above it, readable by their owner only. Node's own recursive mkdir loops
 * forever where a folder cannot be made inside one that exists (/proc/x: ENOENT, then EEXIST for /proc, again and
 * again), so each missing folder is made in turn, from the nearest existing one down, and the first failure is thrown.
 */
export function makeFolders(folder: string): void {
  const missing: string[] = []
  for (let at = folder; !exists(at); at = dirname(at)) {
    missing.push(at)
    if (dirname(at) === at) break
  }
  for (const path of missing.reverse()) {
    try {
      mkdirSync(path, {mode: 0o700})
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
  }
}

function exists(path: string): boolean {
  try {
    statSync(path)
    return true
  } catch {
    return false
  }
}
