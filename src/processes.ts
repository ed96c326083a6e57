import {userInfo} from 'node:os'

/**
 * Whether a process with this pid exists on this host. Signal 0 checks without touching it; EPERM means it exists
 * but is another user's.
 */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH'
  }
}

/** Who runs this process, as the OS knows it: the user name, else (no passwd entry, as in some containers) the uid. */
export function osUser(): string {
  try {
    return userInfo().username
  } catch {
    return process.env.USER ?? (process.getuid ? `uid ${process.getuid()}` : 'unknown')
  }
}
