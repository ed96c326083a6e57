// Standard output that cannot be written is the user's to fix (a full disk) or the reader's choice (`| head`), not a
// bug in crm. This is registered before oclif loads, so it runs before oclif's own handler, which lets a command go
// on writing to a closed pipe and reporting success, and turns any other write error into a crash.
const DISK_FULL = new Set(['ENOSPC', 'EDQUOT', 'EFBIG'])

/** What a shell reports for a program killed by SIGPIPE: the reader stopped reading, so crm stops writing. */
const READER_GONE = 141

export function stopOnOutputError() {
  process.stdout.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(READER_GONE)
    const what = DISK_FULL.has(error.code) ? 'the disk is full' : error.message
    process.stderr.write(
      `Error: cannot write standard output: ${what} (${error.code})\n  free some space, or send the output elsewhere\n`,
    )
    process.exit(3)
  })
}
