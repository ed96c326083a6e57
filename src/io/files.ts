import {en} from '../core/messages.js'
import {
  accessSync,
  closeSync,
  constants,
  fsyncSync,
  openSync,
  readSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  writeSync,
} from 'node:fs'
import {randomBytes} from 'node:crypto'
import {tmpdir} from 'node:os'
import {basename, dirname, join, resolve} from 'node:path'
import {ExitCode, UserError, writeFailure} from '../errors.js'
import {makeFolders} from '../folders.js'
import {processExists} from '../processes.js'

/** A file crm never writes over, --force or not: the database (and its -wal and -shm), or the file being imported. */
export interface Protected {
  readonly path: string
  readonly what: string
}

/** The one rule for every file crm writes. */
export interface WriteRules {
  readonly protect: readonly Protected[]
  /** --force: an existing file is replaced. */
  readonly force: boolean
  /** An existing file replaced even without --force: a reject file crm wrote earlier. */
  readonly replaceable?: (path: string) => boolean
  /** How to name another file ("choose another --output file"): the hint when the file is refused. */
  readonly another: string
  /** What is said instead of "FILE already exists" when the file is refused ("… is not a reject file crm wrote"). */
  readonly refusal?: (target: string) => string
}

/** A file being written: `temp` becomes `path` on commit, and disappears on abort. */
export interface AtomicFile {
  readonly path: string
  readonly temp: string
  /** Writes all the bytes (a full disk is a UserError naming the file, not a short write). */
  write(bytes: Uint8Array): void
  commit(): void
  abort(): void
}

/** The database file and the two SQLite keeps beside it in WAL mode. */
export function databaseFiles(db: string): Protected[] {
  return [
    {path: db, what: en('theDatabase', {db})},
    {path: `${db}-wal`, what: en('theDatabaseWal', {db})},
    {path: `${db}-shm`, what: en('theDatabaseShm', {db})},
  ]
}

/**
 * Checks that `target` may be written, and returns the path to write: a symlink's destination (so the link stays a
 * link). Refuses, with exit 2, a protected file (by path, through symlinks and `..`, or by inode, so a hard link
 * counts), a folder, and an existing file the rules do not let crm replace.
 */
export function checkTarget(target: string, rules: WriteRules): string {
  const path = canonical(target)
  const stat = statOf(target)
  for (const p of rules.protect) {
    const other = statOf(p.path)
    const same =
      canonical(p.path) === path ||
      (stat !== undefined && other !== undefined && stat.dev === other.dev && stat.ino === other.ino)
    if (same) throw new UserError(en('willNotWriteOver', {target, what: p.what}), ExitCode.Usage, rules.another)
  }
  if (stat?.isDirectory()) throw new UserError(en('targetIsFolder', {target}), ExitCode.Usage, en('giveFileNotFolder'))
  if (stat?.isFile() && !rules.force && !rules.replaceable?.(path)) {
    throw new UserError(
      rules.refusal?.(target) ?? en('targetExists', {target}),
      ExitCode.Usage,
      en('orForce', {another: rules.another}),
    )
  }
  if (stat === undefined || stat.isFile()) checkWritableFolder(target, dirname(path))
  return path
}

/** Says before any work is done that the folder a file goes to (or the nearest one that exists) cannot be written. */
function checkWritableFolder(target: string, folder: string): void {
  let existing = folder
  while (statOf(existing) === undefined && dirname(existing) !== existing) existing = dirname(existing)
  try {
    accessSync(existing, constants.W_OK)
  } catch (error) {
    throw writeFailure(target, error)
  }
}

/**
 * Opens a file to be written whole or not at all: the bytes go to a temporary file beside the target (created
 * readable by its owner only: these files hold personal data), which replaces the target only on commit. A crash,
 * a full disk or kill -9 leaves the target as it was; so do abort() and SIGINT, SIGTERM and SIGHUP (the temporary
 * file is removed). A missing folder is created (owner only). A pipe or device (/dev/stdout) is written directly.
 */
export function createAtomic(target: string, rules: WriteRules): AtomicFile {
  const path = checkTarget(target, rules)
  const existing = statOf(target)
  if (existing !== undefined && !existing.isFile()) {
    const fd = open(target, () => openSync(target, 'w'))
    return once({path, temp: path, write: writer(fd, target), commit: () => closeSync(fd), abort: () => closeSync(fd)})
  }
  mkdir(target, dirname(path))
  removeOrphans(path)
  const temp = tempPathOf(path)
  removeTemp(temp) // only a process that had this pid before (and died) can have left it
  const {fd, stopWatching} = openWatched(temp, target)
  return once({
    path,
    temp,
    write: writer(fd, target),
    commit() {
      try {
        fsyncSync(fd)
        closeSync(fd)
        checkTarget(target, rules) // a file may have appeared meanwhile
        renameSync(temp, path)
      } catch (error) {
        removeTemp(temp)
        throw error instanceof UserError ? error : writeFailure(target, error)
      } finally {
        stopWatching()
      }
      syncFolder(dirname(path))
    },
    abort() {
      stopWatching()
      closeSync(fd)
      removeTemp(temp)
    },
  })
}

/**
 * Creates a new private file (0600) at `path`, removed on SIGINT, SIGTERM or SIGHUP until `stopWatching()`. Watched
 * before it exists: a signal arriving between the two would otherwise leave the file behind.
 */
function openWatched(path: string, target: string): {fd: number; stopWatching: () => void} {
  const stopWatching = removeOnSignal([path])
  try {
    return {fd: open(target, () => openSync(path, 'wx', 0o600)), stopWatching}
  } catch (error) {
    stopWatching()
    throw error
  }
}

/** A private file in the system's temporary folder (0600), removed by `remove()` or by SIGINT, SIGTERM or SIGHUP. */
export interface ScratchFile {
  readonly path: string
  /** Writes all the bytes (a full disk is a UserError naming the file). */
  write(bytes: Uint8Array): void
  /** Closes the file for writing; it stays until remove(). */
  close(): void
  remove(): void
}

export function createScratch(what: string): ScratchFile {
  const path = join(tmpdir(), `crm-${what}-${process.pid}-${randomBytes(6).toString('hex')}.tmp`)
  const {fd, stopWatching} = openWatched(path, path)
  let isOpen = true
  const close = () => {
    if (isOpen) closeSync(fd)
    isOpen = false
  }
  return {
    path,
    write: writer(fd, path),
    close,
    remove() {
      close()
      rmSync(path, {force: true})
      stopWatching()
    },
  }
}

function writer(fd: number, target: string): (bytes: Uint8Array) => void {
  return (bytes) => {
    try {
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at)
    } catch (error) {
      throw writeFailure(target, error)
    }
  }
}

/** A file whose commit or abort runs at most once, whichever comes first (abort after commit does nothing). */
function once(file: AtomicFile): AtomicFile {
  let done = false
  const first = (fn: () => void) => () => {
    if (done) return
    done = true
    fn()
  }
  return {...file, commit: first(file.commit), abort: first(file.abort)}
}

/**
 * Lets a signal that arrived during synchronous work (a backup's copy, a page of an export) be handled now, so an
 * interrupted write is removed before it is committed rather than committed and then interrupted. Signals are read
 * in the event loop's poll phase, which may come after the first setImmediate but always before the second.
 */
export async function takeSignals(): Promise<void> {
  for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve))
}

/**
 * The temporary file a write of `target` goes to: hidden, beside it, named for this process (so two never share one).
 */
export function tempPathOf(target: string): string {
  const path = canonical(target)
  return join(dirname(path), `.${basename(path)}.${process.pid}.tmp`)
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

/**
 * Until the returned function is called, a SIGINT, SIGTERM or SIGHUP removes these files, and then the process
 * dies of the signal as it would have. (Signals reach the main thread only, so an import registers its worker's
 * reject file here.)
 */
export function removeOnSignal(paths: readonly string[]): () => void {
  return whenSignalled(() => {
    for (const path of paths) removeTemp(path)
  })
}

/**
 * Until the returned function is called, a SIGINT, SIGTERM or SIGHUP runs `action` (once), and then the process
 * dies of the signal as it would have: the last of these handlers to run raises it again, so each gets its turn.
 * (A listener keeps Node from dying of the signal by itself, and a death by signal runs no 'exit' handlers.)
 */
export function whenSignalled(action: () => void): () => void {
  const stop = () => {
    for (const signal of SIGNALS) process.off(signal, onSignal)
  }
  function onSignal(signal: NodeJS.Signals) {
    stop()
    try {
      action()
    } finally {
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal)
    }
  }
  for (const signal of SIGNALS) process.on(signal, onSignal)
  return stop
}

/** Temporary files for `path` left by crm processes that died (kill -9, power loss): each may be a whole database. */
function removeOrphans(path: string): void {
  const prefix = `.${basename(path)}.`
  let names: string[]
  try {
    names = readdirSync(dirname(path))
  } catch {
    return
  }
  for (const name of names) {
    const pid = Number(
      name.startsWith(prefix) ? /^(\d+)\.tmp(-journal)?$/.exec(name.slice(prefix.length))?.[1] : undefined,
    )
    if (Number.isInteger(pid) && pid !== process.pid && !processExists(pid))
      rmSync(join(dirname(path), name), {force: true})
  }
}

/** A temporary file, and the journal SQLite keeps beside it while a backup is copied into it. */
function removeTemp(temp: string): void {
  rmSync(temp, {force: true})
  rmSync(`${temp}-journal`, {force: true})
}

/** The absolute path with symlinks resolved as far as the path exists (the rest may be created). */
function canonical(path: string): string {
  const absolute = resolve(path)
  try {
    return realpathSync(absolute)
  } catch {
    const parent = dirname(absolute)
    return parent === absolute ? absolute : join(canonical(parent), basename(absolute))
  }
}

function statOf(path: string): Stats | undefined {
  try {
    return statSync(path)
  } catch {
    return undefined
  }
}

function mkdir(target: string, folder: string): void {
  try {
    makeFolders(folder)
  } catch (error) {
    throw writeFailure(target, error)
  }
}

function open(target: string, how: () => number): number {
  try {
    return how()
  } catch (error) {
    throw writeFailure(target, error)
  }
}

/** Makes the rename itself survive a power cut (not every file system lets a folder be synced). */
function syncFolder(folder: string): void {
  try {
    const fd = openSync(folder, 'r')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  } catch {
    // best effort
  }
}

// --- db restore (h6): reading a backup, keeping the replaced database ---

/**
 * Checks that `source` is a readable file and none of `protect` (by path, through symlinks and `..`, or by inode):
 * a missing file is not found (exit 4), a folder, an unreadable file or a protected one bad input (exit 3).
 */
export function checkSource(source: string, protect: readonly Protected[]): void {
  const stat = statOf(source)
  if (stat === undefined)
    throw new UserError(en('noBackupFile', {file: source}), ExitCode.NotFound, en('checkBackupPath'))
  if (stat.isDirectory())
    throw new UserError(en('backupIsFolder', {file: source}), ExitCode.BadInput, en('checkBackupPath'))
  if (!stat.isFile())
    throw new UserError(en('backupNotRegular', {file: source}), ExitCode.BadInput, en('checkBackupPath'))
  for (const p of protect) {
    const other = statOf(p.path)
    if (
      canonical(p.path) === canonical(source) ||
      (other !== undefined && other.dev === stat.dev && other.ino === stat.ino)
    )
      throw new UserError(
        en('backupIsDatabase', {file: source, what: p.what}),
        ExitCode.BadInput,
        en('giveOtherBackup'),
      )
  }
  try {
    accessSync(source, constants.R_OK)
  } catch (error) {
    throw new UserError(
      en('cannotReadBackup', {file: source, reason: (error as Error).message}),
      ExitCode.BadInput,
      en('checkBackupPath'),
    )
  }
}

/**
 * Opens a file for reading and keeps it open until close(): a file SQLite holds locked must be read through a
 * descriptor opened before the lock, since closing any descriptor of a file drops every POSIX lock this process has
 * on it, SQLite's too.
 */
export function openForCopy(path: string): {copyTo(target: string, rules: WriteRules): void; close(): void} {
  const fd = openSync(path, 'r')
  return {
    copyTo(target, rules) {
      const file = createAtomic(target, rules)
      try {
        const buffer = Buffer.allocUnsafe(1 << 20)
        for (let at = 0; ; ) {
          const read = readSync(fd, buffer, 0, buffer.length, at)
          if (read === 0) break
          file.write(buffer.subarray(0, read))
          at += read
        }
        file.commit()
      } catch (error) {
        file.abort()
        throw error
      }
    },
    close: () => closeSync(fd),
  }
}

/** Whether a file (or anything) is at `path`. */
export function present(path: string): boolean {
  return statOf(path) !== undefined
}

/** Moves a file to a new name in the same folder, or removes it (`to` undefined); one already gone is fine. */
export function moveAside(path: string, to: string | undefined): void {
  try {
    if (to === undefined) rmSync(path, {force: true})
    else renameSync(path, to)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw writeFailure(path, error)
  }
}
