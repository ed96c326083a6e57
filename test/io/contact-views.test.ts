import {Chalk} from 'chalk'
import {describe, expect, it} from 'vitest'
import type {DueFollowUp} from '../../src/core/contact.js'
import {displayWidth} from '../../src/core/display-width.js'
import type {LapsedCadence} from '../../src/core/runs.js'
import {dueLines, firstOf, LAPSED_SHOWN} from '../../src/io/contact-views.js'

const plain = new Chalk({level: 0})
const followUp = (id: number, name: string, on: string): DueFollowUp => ({
  contactId: id,
  customerId: `C${id}`,
  customerName: name,
  rm: 'RM01',
  branch: null,
  followUpOn: on,
  lastChannel: null,
  lastAt: null,
})
const lapsed = (id: number): LapsedCadence => ({
  customerId: `L${id}`,
  customerName: '王伟',
  rm: null,
  branch: null,
  scheme: 'retail-aum',
  tier: 'gold',
  cadenceDays: 180,
  lastAt: null,
})
const none = {count: 0, head: []}

describe('dueLines', () => {
  it('heads each section with its count, and reads the rows after the first page only when it prints them', () => {
    // given a section of three whose first row is held, and whose rest is read on demand
    let read = false
    const rest = function* () {
      read = true
      yield followUp(2, '李娜', '2026-12-02')
      yield followUp(3, '张伟', '2026-12-03')
    }
    const lines = dueLines(
      {
        overdue: none,
        today: none,
        upcoming: {count: 3, head: [followUp(1, '欧阳明月', '2026-12-01')], rest},
        lapsed: none,
      },
      '2026-11-28',
      7,
      'en',
      plain,
    )
    // when the report is printed up to the upcoming heading
    const first = [lines.next().value, lines.next().value, lines.next().value]
    // then nothing past the first page has been read yet
    expect(first).toEqual(['Overdue (0)', 'Due today (0)', 'Upcoming, 7 days (3)'])
    expect(read).toBe(false)
    const rows = [...lines]
    expect(read).toBe(true)
    expect(rows).toHaveLength(3)
    // names are padded to the widest held (欧阳明月: 8 columns), rows read later too
    expect(new Set(rows.map((line) => displayWidth(line.slice(0, line.indexOf('RM01'))))).size).toBe(1)
  })

  it('counts every lapsed cadence in the overdue heading but lists only the first ones', () => {
    const all = firstOf(
      Array.from({length: LAPSED_SHOWN + 5}, (_, i) => lapsed(i)),
      LAPSED_SHOWN,
    )
    const lines = [
      ...dueLines(
        {
          overdue: {count: 2, head: [followUp(1, '李娜', '2026-11-01'), followUp(2, '张伟', '2026-11-02')]},
          today: none,
          upcoming: none,
          lapsed: all,
        },
        '2026-11-28',
        7,
        'en',
        plain,
      ),
    ]
    expect(lines[0]).toBe(`Overdue (${2 + LAPSED_SHOWN + 5})`)
    expect(lines.filter((line) => line.includes('cadence 180 days'))).toHaveLength(LAPSED_SHOWN)
    expect(lines).toContain('  … and 5 more with a lapsed cadence (--format csv for all)')
  })
})
