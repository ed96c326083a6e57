import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {explainRow, reasonFor, tierOf} from '../../src/core/classify.js'
import {residentIdCheckChar} from '../../src/core/identifiers.js'
import {
  DERIVED,
  LOOKALIKE_CHARACTER_RANGES,
  OWN_NFKC,
  looksPersonal,
  markPersonal,
  maskBirthDate,
  maskEmail,
  maskExtras,
  maskedExtrasJson,
  maskedLookalike,
  maskIdNumber,
  maskKept,
  maskLookalike,
  maskPhone,
  personalColumnName,
  personalText,
} from '../../src/core/masking.js'
import type {Value} from '../../src/core/rules/compile.js'
import {fromText} from '../helpers/schemes.js'

describe('masking', () => {
  it('keeps at most the first 6 and last 4 characters of an ID number', () => {
    expect(maskIdNumber('110105194912310021')).toBe('110105********0021')
    expect(maskIdNumber('91350100M000100Y43')).toBe('913501********0Y43')
  })

  it('keeps less of a short ID number', () => {
    expect(maskIdNumber('E12345678')).toBe('E12****78')
    expect(maskIdNumber('1234')).toBe('****')
  })

  it('keeps the first 3 and last 4 digits of a mobile, and the area code of a landline', () => {
    expect(maskPhone('17612348055')).toBe('176****8055')
    expect(maskPhone('010-12345678')).toBe('010-****5678')
  })

  it('keeps the first letter and the domain of an e-mail address', () => {
    expect(maskEmail('wang.li@bank.com')).toBe('w******@bank.com')
  })

  it('keeps a whole first character of an e-mail address, and counts characters, not UTF-16 units', () => {
    expect(maskEmail('😀😀x@bank.com')).toBe('😀**@bank.com')
    expect(maskEmail('王小明@银行.中国')).toBe('王**@银行.中国')
  })

  it('keeps the year of a birth date', () => {
    expect(maskBirthDate('1985-07-21')).toBe('1985-**-**')
  })
})

describe('kept values that look personal, however they are written', () => {
  it.each([
    ['110105194912310021', '110105********0021'],
    ['ID:110105194912310021', 'ID:110105********0021'],
    ['身份证：11010519491231002x。', '身份证：110105********002x。'],
    ['110105 19491231 0021', '110105********0021'],
    // The check character apart from the digits, as the property test once found unmasked.
    ['11010519491231002 - X', '110105********002X'],
    ['110105-1949-1231-0021', '110105********0021'],
    ['１１０１０５１９４９１２３１００２１', '110105********0021'],
    ['110105\u200b19491231\u200b0021', '110105********0021'],
    ['13812345678', '138****5678'],
    ['(+86) 138-1234-5678', '+86*******5678'],
    ['（＋８６）１３８－１２３４－５６７８', '+86*******5678'],
    ['+86 138 1234 5678', '+86*******5678'],
    ['0086-138-1234-5678', '008********5678'],
    ['138 1234 5678 (mobile)', '138****5678 (mobile)'],
    ['\u202e13812345678', '\u202e138****5678'],
    ['0571-87654321', '0571-****4321'],
    ['(010) 8765 4321', '010-****4321'],
    ['x＠y.cn', 'x*@y.cn'],
    ['wang.fang＠example.cn', 'w********@example.cn'],
    ['13812345678@163.com', '1**********@163.com'],
    ['tel:13812345678;mail:a@b.cn', 'tel:138****5678;mail:a*@b.cn'],
    ['13812345678 13987654321', '138****5678 139****4321'],
    ['2026-11-28 13812345678', '2026-11-28 138****5678'],
  ])('masks %s as %s', (text, masked) => {
    expect(maskLookalike(text)).toBe(masked)
    expect(looksPersonal(text)).toBe(true)
  })

  it.each([
    'VIP since 2019',
    '2026-11-28',
    '2026-11-28 12:30',
    '12345678901.50',
    '1385678',
    '62220212345678901234',
    'no@domain',
    '稳健型',
  ])('leaves %s as it is', (text) => {
    expect(maskLookalike(text)).toBe(text)
    expect(looksPersonal(text)).toBe(false)
  })

  it('masks a birth date in full-width digits under a name that says birth date, full-width or not', () => {
    expect(maskKept('生日', '１９８５年３月４日')).toBe('****年*月*日')
    expect(maskKept('ＤＯＢ', '1985-03-04')).toBe('1985-**-**')
  })

  const digits = (n: number) =>
    fc.array(fc.integer({min: 0, max: 9}), {minLength: n, maxLength: n}).map((d) => d.join(''))
  const fullWidth = (t: string) => t.replace(/[0-9@+()-]/g, (c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0))
  const separated = (t: string, cuts: number[], sep: string) => {
    let out = ''
    for (let i = 0; i < t.length; i++) out += (cuts.includes(i) && i > 0 ? sep : '') + t[i]
    return out
  }
  const secret = fc.oneof(
    fc
      .tuple(fc.integer({min: 110000, max: 829999}), fc.integer({min: 1900, max: 2020}), digits(3))
      .map(([a, y, s]) => `${a}${y}0615${s}`)
      .map((first17) => first17 + residentIdCheckChar(first17)),
    digits(8).map((d) => `139${d}`),
  )

  it('never leave the middle digits of an ID number or a mobile, whatever the separators, prefixes and widths', () => {
    fc.assert(
      fc.property(
        secret,
        fc.array(fc.integer({min: 1, max: 17}), {maxLength: 4}),
        fc.constantFrom(' ', '-', '\u3000', '\u2010', '\u200b', ' - ', '\uff0d'),
        fc.constantFrom('', 'ID:', '身份证号 ', '+86 ', '(+86) ', '0086-', 'tel：', '客户'),
        fc.constantFrom('', ' ', '。', ' (home)', ';'),
        fc.boolean(),
        (value, cuts, sep, prefix, after, wide) => {
          // A country code goes before a phone only.
          const before = value.length === 18 && /\d/.test(prefix) ? '' : prefix
          const written = before + separated(value, cuts, sep) + after
          const text = wide ? fullWidth(written) : written
          const masked = maskLookalike(text)
          // An ID number keeps 6 and 4 of its 18 digits, a mobile 3 and 4 of 11: the rest are asterisks, and no more
          // digits show than those and the prefix's.
          const kept = value.length === 18 ? 10 : 7
          expect(masked).toContain('*'.repeat(value.length - kept))
          const shown = (t: string) => t.normalize('NFKC').replace(/\D/g, '').length
          expect(shown(masked)).toBeLessThanOrEqual(shown(before) + kept)
          expect(looksPersonal(text)).toBe(true)
        },
      ),
      {numRuns: 1000},
    )
  })

  it("are masked in kept columns' JSON text (for SQL) exactly as maskExtras masks them, null when nothing is", () => {
    const value = fc.oneof(
      fc.string({maxLength: 12}),
      fc.string({unit: 'binary', maxLength: 12}),
      secret,
      secret.map((s) => `ID:${s}`),
      secret.map((s) => s.replace(/(\d{3})(\d{4})/, '$1 $2 ')),
      fc.constantFrom(
        'x＠y.cn',
        '1985-03-04',
        '１９８５年３月４日',
        '(+86) 138-1234-5678',
        '0571-87654321',
        '\u0001138',
      ),
    )
    const key = fc.oneof(fc.string({maxLength: 6}), fc.constantFrom('生日', 'DOB', 'ＢＩＲＴＨ', 'note', '手机'))
    fc.assert(
      fc.property(fc.dictionary(key, value, {maxKeys: 4}), (extra) => {
        const json = JSON.stringify(extra)
        const masked = JSON.stringify(maskExtras(extra))
        expect(maskedExtrasJson(json, JSON.parse) ?? json).toBe(masked)
      }),
      {numRuns: 2000},
    )
  })
})

describe('birth dates', () => {
  it.each([
    ['1985-09-10', '1985-**-**'],
    ['19850910', '1985****'],
    ['1985/9/10', '1985/*/**'],
    ['32000', '*****'],
    ['19491231x', '********x'],
  ])('masks %s to its year at most: %s', (date, masked) => {
    expect(maskBirthDate(date)).toBe(masked)
  })
})

describe('personal values in reasons', () => {
  it('are masked, or shown whole with reveal, and the marks never show', () => {
    const reason = `id_number '${markPersonal('id_number', '110105194912310021')}' != 'x'; age(birth_date) ${markPersonal(DERIVED, '76')} >= 60`
    expect(personalText(reason, false)).toBe("id_number '110105********0021' != 'x'; age(birth_date) *** >= 60")
    expect(personalText(reason, true)).toBe("id_number '110105194912310021' != 'x'; age(birth_date) 76 >= 60")
  })

  it('are masked in a reason an earlier crm stored unmarked', () => {
    expect(
      personalText(
        "id_number '110105194912310021' != 'x'; phone '13800138000'; email 'wang@bank.cn'; birth_date 1985-09-10 > '1900-01-01'",
        false,
      ),
    ).toBe(
      "id_number '110105********0021' != 'x'; phone '138****8000'; email 'w***@bank.cn'; birth_date 1985-**-** > '1900-01-01'",
    )
  })

  const SCHEME = `name: p
version: 1
define:
  mobile: phone
tiers:
  - id: a
    label: {zh: 甲, en: A}
    rule: id_number != 'x' and mobile != '1' and coalesce(email, 'none') != 'x' and birth_date > '1800-01-01' and age(birth_date) >= 0
  - id: b
    label: {zh: 乙, en: B}
    rule: starts_with(id_number, '9')
  - id: rest
    label: {zh: 其他, en: Rest}
`
  const digits = (n: number) =>
    fc.array(fc.integer({min: 0, max: 9}), {minLength: n, maxLength: n}).map((d) => d.join(''))
  const residentId = fc
    .tuple(
      digits(6),
      fc.date({min: new Date('1900-01-01'), max: new Date('2020-12-31'), noInvalidDate: true}),
      digits(3),
    )
    .map(([area, born, seq]) => {
      const first17 = `${area}${born.toISOString().slice(0, 10).replaceAll('-', '')}${seq}`
      return {id: first17 + residentIdCheckChar(first17), born: born.toISOString().slice(0, 10)}
    })

  it('never hold a full ID number, phone, e-mail or birth date of the row unless revealed, in reasons and explanations', () => {
    const compiled = fromText(SCHEME)
    fc.assert(
      fc.property(
        residentId,
        digits(8),
        fc.stringMatching(/^[a-z]{3,12}$/),
        fc.boolean(),
        ({id, born}, phone8, mailbox, tierA) => {
          const values = {
            id_number: tierA ? id : `9${id.slice(1)}`,
            phone: `139${phone8}`,
            email: `${mailbox}@bank.cn`,
            birth_date: tierA ? born : null,
          }
          const row = {
            values: compiled.inputs.map((input) => (values as Record<string, Value>)[input.name] ?? null),
            index: 0,
          }
          const t = tierOf(compiled, row)
          const explanation = explainRow(compiled, row)
          const texts = [
            reasonFor(compiled, t, row),
            explanation.reason,
            ...(explanation.better?.needs ?? []),
            ...(explanation.worse?.needs ?? []),
          ]
          const secrets = [
            values.id_number,
            values.phone,
            values.email,
            ...(values.birth_date ? [values.birth_date] : []),
          ]
          for (const text of texts) {
            for (const secret of secrets) expect(personalText(text, false)).not.toContain(secret)
          }
          if (tierA) expect(texts.map((x) => personalText(x, true)).join(';')).toContain(values.id_number)
        },
      ),
      {numRuns: 300},
    )
  })
})

describe('kept columns', () => {
  it.each([
    ['11010519491231002X', '110105********002X'],
    ['110105491231002', '110105*****1002'],
    ['13912345678', '139****5678'],
    ['+8613912345678', '+86*******5678'],
    ['138-0013-8000', '138****8000'],
    ['138 0013 8000', '138****8000'],
    ['+86 138 0013 8000', '+86*******8000'],
    ['+86-13800138000', '+86*******8000'],
    ['138-0013-800', '138-0013-800'],
    ['010-62345678', '010-****5678'],
    ['wang@bank.cn', 'w***@bank.cn'],
    ['VIP since 2019', 'VIP since 2019'],
    ['12345', '12345'],
    ['2019-05-01', '2019-05-01'],
  ])('mask %s as %s', (value, masked) => {
    expect(maskLookalike(value)).toBe(masked)
  })
})

describe('kept columns named as birth dates', () => {
  it.each([
    ['生日', '1985-03-04', '1985-**-**'],
    ['出生年月', '1985年3月4日', '1985年*月*日'],
    ['出生日期', '19850304', '1985****'],
    ['Birthday', '1985/3/4', '1985/*/*'],
    ['DOB', '1985-03-04', '1985-**-**'],
    ['spouse_dob', '1985-03-04', '1985-**-**'],
    ['opened', '1985-03-04', '1985-03-04'],
    ['doberman', '1985-03-04', '1985-03-04'],
  ])('%s holding %s shows %s', (name, value, shown) => {
    expect(maskKept(name, value)).toBe(shown)
    expect(maskExtras({[name]: value})).toEqual({[name]: shown})
  })
})

describe('kept column names', () => {
  it.each([
    ['手机', true],
    ['联系电话', true],
    ['contact_email', true],
    ['id_no', true],
    ['IDCard', true],
    ['birthday', true],
    ['tel', true],
    ['home_tel', true],
    ['segment', false],
    ['branch_id', false],
    ['hotel', false],
    ['risk_class', false],
    ['渠道来源', false],
  ])('%s says it is personal: %s', (name, personal) => {
    expect(personalColumnName(name)).toBe(personal)
  })
})

describe('contact notes and outcomes (free text)', () => {
  it('have each ID number, phone and e-mail address masked where it stands, the rest as written', () => {
    expect(maskLookalike('客户身份证110105198001010008，手机13800138000')).toBe(
      '客户身份证110105********0008，手机138****8000',
    )
    expect(maskLookalike('Call back on １３８００１３８０００ or mail wang.li@bank.com tomorrow')).toBe(
      'Call back on 138****8000 or mail w******@bank.com tomorrow',
    )
    expect(maskLookalike('回访 2026-11-28，余额 12345.67')).toBe('回访 2026-11-28，余额 12345.67')
  })

  it('give null for a text that nothing in is masked (SQL keeps its own)', () => {
    expect(maskedLookalike('客户询问理财产品到期安排')).toBeNull()
    expect(maskedLookalike('手机13800138000')).toBe('手机138****8000')
  })

  it('take as its own NFKC form only text that is (OWN_NFKC: ASCII and CJK ideographs)', () => {
    const own: string[] = []
    for (let code = 0; code <= 0xffff; code++) {
      const c = String.fromCodePoint(code)
      if (OWN_NFKC.test(c)) own.push(c)
    }
    expect(own.length).toBe(128 + 0x4dbf - 0x3400 + 1 + 0x9fff - 0x4e00 + 1)
    expect(own.filter((c) => c.normalize('NFKC') !== c)).toEqual([])
    // Nor do two of them compose: each followed by every other kind (ASCII, an ideograph of each block).
    const joined = own.flatMap((c) => [c, 'a', '\u3400', '\u4e00']).join('')
    expect(joined.normalize('NFKC') === joined).toBe(true)
    expect(OWN_NFKC.test('ｂirth')).toBe(false)
  })

  it('name in LOOKALIKE_CHARACTER_RANGES every character whose compatibility form holds a digit or @', () => {
    const listed = (code: number) => LOOKALIKE_CHARACTER_RANGES.some(([from, to]) => from <= code && code <= to)
    const missing: string[] = []
    const extra: string[] = []
    for (let code = 0; code <= 0x10ffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue
      const holds = /[0-9@]/.test(String.fromCodePoint(code).normalize('NFKC'))
      if (holds && !listed(code)) missing.push(code.toString(16))
      if (!holds && listed(code)) extra.push(code.toString(16))
    }
    expect({missing, extra}).toEqual({missing: [], extra: []})
  })

  it('are changed only when they hold one of those characters (the SQL pre-test passes every text masked)', () => {
    const chars = fc.oneof(
      fc.constantFrom('1', '3', '8', '０', '１', '３', '８', '@', '＠', '.', '-', ' ', 'x', '王', '①', '\u200b'),
      fc.string({unit: 'binary', maxLength: 1}),
    )
    fc.assert(
      fc.property(fc.array(chars, {maxLength: 40}), (parts) => {
        const text = parts.join('')
        const holds = [...text].some((ch) =>
          LOOKALIKE_CHARACTER_RANGES.some(([from, to]) => from <= ch.codePointAt(0)! && ch.codePointAt(0)! <= to),
        )
        if (!holds) expect(maskLookalike(text)).toBe(text)
      }),
    )
  })
})
