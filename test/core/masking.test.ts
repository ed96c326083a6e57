import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {explainRow, reasonFor, tierOf} from '../../src/core/classify.js'
import {residentIdCheckChar} from '../../src/core/identifiers.js'
import {
  DERIVED,
  markPersonal,
  maskBirthDate,
  maskEmail,
  maskExtras,
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
