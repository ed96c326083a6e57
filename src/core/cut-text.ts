/**
 * Text for messages, cut to a readable length: a header of 2 MB (a file's whole content on one line, say) would
 * otherwise be printed whole.
 */

/** At most `max` characters: longer text keeps its start, an ellipsis and how long it was. */
export function cutText(text: string, max = 60): string {
  if (text.length <= max) return text
  return `${text.slice(0, max)}… (${text.length.toLocaleString('en-US')} characters)`
}

/** Items joined by `separator`, each cut, and no more than fit in `maxChars`: the rest are counted by `more`. */
export function cutList(
  items: readonly string[],
  separator = ', ',
  more = (count: string) => `… and ${count} more`,
  maxChars = 300,
): string {
  const shown: string[] = []
  let length = 0
  for (const item of items) {
    const cut = cutText(item)
    if (shown.length > 0 && length + separator.length + cut.length > maxChars) break
    shown.push(cut)
    length += (shown.length > 1 ? separator.length : 0) + cut.length
  }
  const left = items.length - shown.length
  return left > 0 ? `${shown.join(separator)}${separator}${more(left.toLocaleString('en-US'))}` : shown.join(separator)
}
