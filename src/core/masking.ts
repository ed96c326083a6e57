/** Personal data is masked in output unless revealed: ID numbers keep at most the first 6 and last 4 characters. */
export function maskIdNumber(id: string): string {
  const keep = id.length >= 14 ? [6, 4] : id.length >= 8 ? [3, 2] : id.length >= 5 ? [1, 1] : [0, 0]
  return keepEnds(id, keep[0], keep[1])
}

/** Phones keep at most the first 3 and last 4 digits: 176****8055; landlines keep the area code. */
export function maskPhone(phone: string): string {
  const dash = phone.indexOf('-')
  if (dash > 0 && phone.startsWith('0')) return `${phone.slice(0, dash + 1)}${keepEnds(phone.slice(dash + 1), 0, 4)}`
  return phone.length >= 10 ? keepEnds(phone, 3, 4) : keepEnds(phone, 0, 2)
}

/** E-mail keeps the first character of the mailbox and the domain: w*****@bank.com. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@')
  if (at <= 0) return keepEnds(email, 0, 0)
  // Characters, not UTF-16 units: a mailbox starting with an emoji keeps it whole, not half of it.
  const first = String.fromCodePoint(email.codePointAt(0)!)
  return `${first}${'*'.repeat(Math.max([...email.slice(0, at)].length - 1, 1))}${email.slice(at)}`
}

/** A birth date keeps its year: 1985-**-**. */
export function maskBirthDate(date: string): string {
  return `${date.slice(0, 4)}-**-**`
}

function keepEnds(text: string, head: number, tail: number): string {
  const chars = [...text]
  if (chars.length <= head + tail) return '*'.repeat(chars.length)
  return chars.slice(0, head).join('') + '*'.repeat(chars.length - head - tail) + chars.slice(chars.length - tail).join('')
}

/** A person's name in lists for people: the family name (and a last character of longer names) kept: 吴*, 欧**婷. */
export function maskName(name: string): string {
  const chars = [...name]
  if (chars.length <= 1) return name
  return chars.length === 2 ? `${chars[0]}*` : keepEnds(name, 1, 1)
}
