// npm run lint: no line of src/ is wider than Biome's lineWidth (biome.json). The formatter breaks code to fit, but
// leaves a long string, comment or regular expression as it is: those are reflowed by hand.
import {readFileSync, readdirSync} from 'node:fs'
import {join} from 'node:path'

const root = join(import.meta.dirname, '..')
const width = JSON.parse(readFileSync(join(root, 'biome.json'), 'utf8')).formatter.lineWidth

function* sources(dir) {
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* sources(path)
    else if (entry.name.endsWith('.ts')) yield path
  }
}

let wide = 0
for (const file of sources(join(root, 'src'))) {
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      // Characters, as Biome counts them (a string's length counts an astral character twice).
      const length = [...line].length
      if (length <= width) return
      wide++
      console.error(`${file.slice(root.length + 1)}:${i + 1}: ${length} characters (at most ${width})`)
    })
}
if (wide > 0) {
  console.error(`${wide} lines in src/ are wider than ${width} characters`)
  process.exit(1)
}
