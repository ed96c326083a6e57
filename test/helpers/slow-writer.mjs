// Writes a file to standard output in small pieces with short pauses, as a program producing rows would: the reader
// on the other end of the pipe often finds it empty. Usage: node slow-writer.mjs FILE

import {once} from 'node:events'
import {readFileSync} from 'node:fs'
import {setTimeout as sleep} from 'node:timers/promises'

const bytes = readFileSync(process.argv[2])
// The reader may stop early (a bad header, say): that ends the writing, and is not this script's error.
process.stdout.on('error', () => process.exit(0))
let at = 0
for (let piece = 0; at < bytes.length; piece++) {
  // Pieces of 1 to 32 KB, in a fixed pattern; a pause of 1 or 2 ms after every fourth.
  const size = 1024 * (1 + ((piece * 7) % 32))
  if (!process.stdout.write(bytes.subarray(at, at + size))) await once(process.stdout, 'drain')
  at += size
  if (piece % 4 === 3) await sleep(1 + (piece % 2))
}
