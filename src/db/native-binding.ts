import {createRequire} from 'node:module'

/**
 * The path of better-sqlite3's compiled addon, for its nativeBinding option: without it, better-sqlite3 asks the
 * `bindings` package, which reads a stack trace and tries a dozen paths, at each start-up. Undefined (that search)
 * when the addon is not where better-sqlite3 builds it.
 */
export const nativeBinding: string | undefined = (() => {
  try {
    return createRequire(import.meta.url).resolve('better-sqlite3/build/Release/better_sqlite3.node')
  } catch {
    return undefined
  }
})()
