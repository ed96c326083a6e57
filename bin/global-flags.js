// The flags every crm command takes (BaseCommand.baseFlags, and --json), accepted before the command as well:
// `crm --db branch.db customer list`. oclif reads the first word as the command, so they are moved after it.
const WITH_VALUE = new Set(['--db', '--lang', '--actor', '--format'])
const ALONE = new Set(['--json'])

/** argv with leading global flags (--db X, --db=X, --json …) moved after the command and its own words. */
export function globalFlagsAfterCommand(argv) {
  const leading = []
  let at = 0
  while (at < argv.length) {
    const word = argv[at]
    const name = word.split('=')[0]
    if (ALONE.has(word) || (WITH_VALUE.has(name) && word.includes('='))) {
      leading.push(word)
      at += 1
    } else if (WITH_VALUE.has(word) && at + 1 < argv.length) {
      leading.push(word, argv[at + 1])
      at += 2
    } else break
  }
  // Nothing to move, or no command after them (crm --db x.db): oclif says what is missing.
  if (leading.length === 0 || at === argv.length) return argv
  const rest = argv.slice(at)
  // After "--" every word is an argument, so the flags go before it.
  const end = rest.includes('--') ? rest.indexOf('--') : rest.length
  return [...rest.slice(0, end), ...leading, ...rest.slice(end)]
}
