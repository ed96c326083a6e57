import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {
  addDays,
  dateReader,
  excelSerialDate,
  isExcelSerial,
  daysBetween,
  instantForJson,
  instantForPeople,
  machineWallClock,
  offsetText,
  parseDate,
  parseDateTime,
  parseUtcOffset,
  splitOffset,
  wallClockOffset,
  type Zone,
} from '../../src/core/dates.js'

describe('parseDate', () => {
  it.each([
    ['2024-01-05', '2024-01-05'],
    ['2024/1/5', '2024-01-05'],
    ['20240105', '2024-01-05'],
    ['2024年1月5日', '2024-01-05'],
    ['2024.01.05', '2024-01-05'],
    ['2024-1-5', '2024-01-05'],
    ['2024/01/05 00:00:00', '2024-01-05'],
    ['2024-02-29', '2024-02-29'],
    ['2000-02-29', '2000-02-29'],
    [' 2024年12月31日 ', '2024-12-31'],
    ['2024年1月5', '2024-01-05'],
  ])('reads %j as %s', (text, iso) => {
    expect(parseDate(text)).toBe(iso)
  })

  it.each([
    '2024-02-30',
    '2023-02-29',
    '1900-02-29',
    '2024-13-01',
    '2024-00-10',
    '20240231',
    '2024/4/31',
    '2024年2月30日',
  ])('refuses %j, which is not a date', (text) => {
    expect(parseDate(text)).toEqual({error: expect.stringContaining('is not a date')})
  })

  it('takes an ISO date exactly when the calendar has that day (checked against Date)', () => {
    const pad = (n: number, width: number) => String(n).padStart(width, '0')
    fc.assert(
      fc.property(
        fc.integer({min: 1700, max: 2300}),
        fc.integer({min: 0, max: 13}),
        fc.integer({min: 0, max: 32}),
        (y, m, d) => {
          const text = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`
          const real = new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10) === text && y >= 1800 && y <= 2200
          expect(parseDate(text)).toEqual(real ? text : {error: `${text} is not a date`})
        },
      ),
      {numRuns: 3000},
    )
  })

  it.each(['05/01/2024', '2024-01', 'yesterday', '2024-01-05 13:45', ''])(
    'refuses %j and names the accepted forms',
    (text) => {
      expect(parseDate(text)).toEqual({error: expect.stringContaining('2024年1月5日')})
    },
  )
})

describe('parseDateTime', () => {
  it.each([
    ['2024-01-05', '2024-01-05T00:00:00'],
    ['2024-01-05 14:30', '2024-01-05T14:30:00'],
    ['2024/1/5 9:05:07', '2024-01-05T09:05:07'],
    ['2024-01-05T14:30:00', '2024-01-05T14:30:00'],
    ['2024年1月5日 08:00', '2024-01-05T08:00:00'],
  ])('reads %j as %s', (text, iso) => {
    expect(parseDateTime(text)).toBe(iso)
  })

  it.each(['2024-01-05 25:00', '2024-01-05 10:61', '2024-02-30 10:00', 'now'])('refuses %j', (text) => {
    expect(parseDateTime(text)).toHaveProperty('error')
  })
})

describe('day arithmetic', () => {
  it('counts days across months and leap years, and adds them', () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2)
    expect(daysBetween('2026-11-30', '2026-11-28')).toBe(-2)
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01')
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29')
  })
})

describe('the time convention', () => {
  const shanghai: Zone = () => 480
  // New York: -05:00 in winter, -04:00 from the second Sunday of March, 2 a.m. (07:00 UTC in 2026).
  const newYork: Zone = (d) =>
    d.getTime() >= Date.UTC(2026, 2, 8, 7) && d.getTime() < Date.UTC(2026, 10, 1, 6) ? -240 : -300

  it.each([
    [480, '+08:00'],
    [-330, '-05:30'],
    [0, '+00:00'],
    [345, '+05:45'],
  ])('writes %i minutes east of UTC as %s', (minutes, text) => {
    expect(offsetText(minutes)).toBe(text)
  })

  it('shows a stored UTC instant in local time with the zone, for people and for scripts', () => {
    expect(instantForPeople('2026-11-29T10:00:04.072Z', shanghai)).toBe('2026-11-29 18:00:04 +08:00')
    expect(instantForJson('2026-11-29T10:00:04.072Z', shanghai)).toBe('2026-11-29T18:00:04+08:00')
    expect(instantForJson('2026-11-29T20:00:00.000Z', shanghai)).toBe('2026-11-30T04:00:00+08:00')
    expect(instantForJson('2026-11-29T03:00:00.000Z', newYork)).toBe('2026-11-28T22:00:00-05:00')
  })

  it("reads SQLite's datetime('now') form as UTC, and leaves null and text that is no instant alone", () => {
    expect(instantForJson('2026-11-29 10:00:04', shanghai)).toBe('2026-11-29T18:00:04+08:00')
    expect(instantForJson(null, shanghai)).toBeNull()
    expect(instantForPeople('not a time', shanghai)).toBe('not a time')
  })

  it('gives the offset of a zone at a wall-clock time, daylight saving included', () => {
    expect(wallClockOffset('2026-11-29T18:00:00', shanghai)).toBe('+08:00')
    expect(wallClockOffset('2026-01-15T09:00:00', newYork)).toBe('-05:00')
    expect(wallClockOffset('2026-07-15T09:00:00', newYork)).toBe('-04:00')
  })

  it.each([
    ['2026-11-28 10:00+05:30', '2026-11-28 10:00', '+05:30'],
    ['2026-11-28T10:00:00+0800', '2026-11-28T10:00:00', '+08:00'],
    ['2026-11-28 10:00 -04:00', '2026-11-28 10:00', '-04:00'],
    ['2026-11-28T02:00:00Z', '2026-11-28T02:00:00', '+00:00'],
    ['2026-11-28 10:00', '2026-11-28 10:00', null],
    ['2026-11-28', '2026-11-28', null],
    ['20261128', '20261128', null],
  ])('splits the offset off %s', (text, rest, offset) => {
    expect(splitOffset(text)).toEqual({text: rest, offset})
  })

  it('refuses an offset no zone has', () => {
    expect(splitOffset('2026-11-28 10:00+25:00')).toHaveProperty('error')
  })
})

describe('parseUtcOffset', () => {
  it.each([
    ['+08:00', '+08:00'],
    ['+0800', '+08:00'],
    ['-05:30', '-05:30'],
    ['Z', '+00:00'],
    [' +05:45 ', '+05:45'],
    ['+14:00', '+14:00'],
    ['-12:00', '-12:00'],
  ])('reads %j as %s', (text, offset) => {
    expect(parseUtcOffset(text)).toBe(offset)
  })

  it.each(['+15:00', '-12:30', '+08:60', '8', 'Asia/Shanghai', '+8:00', ''])('refuses %j with a reason', (text) => {
    expect(parseUtcOffset(text)).toMatchObject({error: expect.stringContaining('is not an offset from UTC')})
  })
})

describe('machineWallClock', () => {
  const shanghai: Zone = () => 480
  it("turns a wall-clock time at an offset into the machine zone's wall-clock time at that instant", () => {
    expect(machineWallClock('2026-11-29T18:00:04', '-05:00', shanghai)).toBe('2026-11-30T07:00:04')
    expect(machineWallClock('2026-11-29T18:00:04', null, shanghai)).toBe('2026-11-29T18:00:04')
  })
})

// Files banks send: --date-format and Excel serial dates.
describe('dateReader', () => {
  it.each([
    ['YYMMDD', '930101', '1993-01-01'],
    ['YYMMDD', '681231', '2068-12-31'],
    ['YYMMDD', '690101', '1969-01-01'],
    ['DD/MM/YYYY', '03/04/2025', '2025-04-03'],
    ['DD/MM/YYYY', '3.4.2025', '2025-04-03'],
    ['MM/DD/YYYY', '03/04/2025', '2025-03-04'],
    ['MM/DD/YYYY', '12-25-2024', '2024-12-25'],
    ['DD/MM/YYYY', '2024-01-05', '2024-01-05'],
    ['YYMMDD', '20240105', '2024-01-05'],
  ] as const)('reads under %s %j as %s', (format, text, iso) => {
    expect(dateReader(format)(text)).toBe(iso)
  })

  it.each([
    [undefined, '03/04/2025', 'has its year last'],
    [undefined, '25/12/2024', 'has its year last'],
    [undefined, '930101', 'pass --date-format YYMMDD'],
    ['DD/MM/YYYY', '03/04/25', 'has a two-digit year'],
    ['MM/DD/YYYY', '25/12/2024', 'is not a date'],
    ['YYMMDD', '706213', 'is not a date'],
    ['YYMMDD', '03/04/2025', 'has its year last'],
  ] as const)('refuses under %s %j, saying why', (format, text, reason) => {
    expect(dateReader(format)(text)).toEqual({error: expect.stringContaining(reason)})
  })

  it.each([
    ['45296', true, '2024-01-05'],
    ['10000', true, '1927-05-18'],
    ['73050', true, '2099-12-31'],
    ['9999', false, null],
    ['73051', false, null],
    ['45296.5', false, null],
  ] as const)('reads %j as an Excel serial date: %s', (text, serial, iso) => {
    expect(isExcelSerial(text)).toBe(serial)
    if (iso !== null) expect(excelSerialDate(text)).toBe(iso)
  })
})
