import {describe, expect, it} from 'vitest'
import {classifyPortfolio, explainRow, percentileCont} from '../../../src/core/classify.js'
import {personalText} from '../../../src/core/masking.js'
import {literalFen, type Value} from '../../../src/core/rules/compile.js'
import {parseRule, RuleError} from '../../../src/core/rules/parse.js'
import {personalReads, SchemeError} from '../../../src/core/schemes/scheme.js'
import {fen, fromText, tierOne, tiersOf} from '../../helpers/schemes.js'

/** A one-tier scheme with this rule (and a default), for testing the language. */
const scheme = (rule: string, extras = '') =>
  fromText(
    `name: t\nversion: 1\n${extras}tiers:\n  - id: hit\n    rule: "${rule.replaceAll('"', '\\"')}"\n  - id: miss\n`,
  )
const holds = (rule: string, customer: Record<string, string | number | bigint | null>, extras = '') =>
  tierOne(scheme(rule, extras), customer) === 'hit'

describe('the rule parser', () => {
  it('binds and tighter than or, and arithmetic tighter than comparison', () => {
    const tree = parseRule('a = 1 or b = 2 and c + 1 * 2 > 3')
    expect(tree.kind === 'binary' && tree.op).toBe('or')
  })

  it.each([
    ['aum >=', 'the rule ends too early'],
    ['aum >= 5 aum', 'unexpected "aum"'],
    ["name = 'abc", 'no closing quote'],
    ['aum >= 5 ; drop table', '";" has no meaning'],
    ['aum between 1 or 2', 'expected and'],
    ['aum is 5', 'expected null'],
    ['type in (1, 2', 'expected , or )'],
    ['', 'the rule is empty'],
    ['12abc > 1', 'is not a number or a name'],
  ])('refuses %j with "%s"', (text, message) => {
    expect(() => parseRule(text)).toThrow(RuleError)
    expect(() => parseRule(text)).toThrow(message)
  })

  it('points at the place of the mistake', () => {
    try {
      parseRule('aum >= 5 and and')
      expect.unreachable()
    } catch (error) {
      expect((error as RuleError).span.start).toBe(13)
    }
  })
})

describe('the rule language', () => {
  it('compares money exactly, with written amounts shifted to fen', () => {
    expect(literalFen('0.1')).toBe(10)
    expect(literalFen('49.99万')).toBe(49_990_000)
    expect(literalFen('1.5亿')).toBe(15_000_000_000)
    expect(holds('aum >= 0.3', {aum: 30})).toBe(true)
    expect(holds('aum >= 0.3', {aum: 29})).toBe(false)
    expect(holds('aum + deposits = 0.3', {aum: 10, deposits: 20})).toBe(true)
    expect(holds('aum > deposits * 2', {aum: fen(201), deposits: fen(100)})).toBe(true)
    expect(holds('aum / loans >= 1.5', {aum: fen(150), loans: fen(100)})).toBe(true)
  })

  it('keeps amounts beyond 2^53 fen exact: compared, added, multiplied and written in bigints', () => {
    const big = 9_007_199_254_740_993n // 90071992547409.93 yuan, one fen more than a JS number can hold
    expect(literalFen('90071992547409.93')).toBe(big)
    expect(literalFen('0.001')).toBe(0.1)
    expect(holds('aum > 90071992547409.92', {aum: big})).toBe(true)
    expect(holds('aum = 90071992547409.93', {aum: big})).toBe(true)
    expect(holds('aum in (90071992547409.93)', {aum: big})).toBe(true)
    expect(holds('aum + deposits = 180143985094819.86', {aum: big, deposits: big})).toBe(true)
    expect(holds('aum + deposits = 90071992547409.94', {aum: 9_007_199_254_740_990, deposits: 4})).toBe(true)
    expect(holds('aum * 3 = 270215977642229.79', {aum: big})).toBe(true)
    expect(holds('aum - deposits = 0.01', {aum: big, deposits: 9_007_199_254_740_992})).toBe(true)
    expect(holds('abs(contribution) = 90071992547409.93', {contribution: -big})).toBe(true)
    expect(holds('max(aum, deposits) = 90071992547409.93', {aum: big, deposits: 5})).toBe(true)
    expect(holds('aum * 0.5 > 45000000000000', {aum: big})).toBe(true)
    expect(holds('aum / deposits > 1', {aum: big, deposits: 100})).toBe(true)
  })

  it('treats an unknown value as SQL does: the rule does not hold, but or can still', () => {
    expect(holds('aum >= 5', {aum: null})).toBe(false)
    expect(holds('not (aum >= 5)', {aum: null})).toBe(false)
    expect(holds("aum >= 5 or type = 'individual'", {aum: null, type: 'individual'})).toBe(true)
    expect(holds('aum is null', {aum: null})).toBe(true)
    expect(holds('aum / loans > 1', {aum: fen(5), loans: 0})).toBe(false)
  })

  it('reads dates, ages and days relative to the as-of date', () => {
    expect(holds('days_since(opened_on) = 27', {opened_on: '2026-11-01'})).toBe(true)
    expect(holds('age(birth_date) = 39', {birth_date: '1986-11-29'})).toBe(true)
    expect(holds('age(birth_date) = 40', {birth_date: '1986-11-28'})).toBe(true)
    expect(holds("opened_on < '2020/1/5'", {opened_on: '2020-01-04'})).toBe(true)
    expect(holds("opened_on between '2020-01-01' and as_of", {opened_on: '2026-11-28'})).toBe(true)
  })

  it('understands Chinese aliases of enum values and refuses values the field never has', () => {
    expect(holds("type = '个人'", {type: 'individual'})).toBe(true)
    expect(holds("status in ('休眠', 'closed')", {status: 'dormant'})).toBe(true)
    expect(() => scheme("type = 'person'")).not.toThrow()
    expect(() => scheme("type = 'household'")).toThrow("type is never 'household'")
  })

  it('has coalesce, min, max, if, contains and starts_with', () => {
    expect(holds('coalesce(aum, deposits, 0) = 7', {aum: null, deposits: fen(7)})).toBe(true)
    expect(holds('max(aum, deposits) = 9', {aum: fen(9), deposits: null})).toBe(true)
    expect(holds('min(aum, deposits) = 3', {aum: fen(9), deposits: fen(3)})).toBe(true)
    expect(holds("if(type = 'corporate', employees, 0) >= 10", {type: 'corporate', employees: 12})).toBe(true)
    expect(
      holds("contains(name, '科技') and starts_with(branch, '上海')", {name: '蓝海科技', branch: '上海分行'}),
    ).toBe(true)
  })

  it('reads kept columns declared under extras with their type, and names in backticks', () => {
    const extras = 'extras:\n  风险偏好: text\n  score: number\n  limit amount: money\n'
    expect(holds("风险偏好 = '进取型' and score >= 700", {风险偏好: '进取型', score: 720}, extras)).toBe(true)
    expect(holds('`limit amount` >= 1万', {'limit amount': fen(10000)}, extras)).toBe(true)
  })

  it.each([
    ['aum_total >= 6000000', 'unknown field "aum_total"', 'did you mean "aum"?'],
    ['name > 3', 'cannot compare name (text) with 3 (a number)', 'extras'],
    ['aum >= 5 and 3', 'and needs a condition', undefined],
    ['aum', 'a rule must be a condition', undefined],
    ['aum * deposits > 1', 'an amount times an amount', undefined],
    ['aum = null', 'with null is never true', 'is null'],
    ['quintle(aum) = 5', 'unknown function "quintle"', 'did you mean quintile()?'],
    ["opened_on > 'soon'", "'soon' is not a date", undefined],
    ['days_since(aum) > 1', 'days_since() needs a date', undefined],
    ['quintile(percent_rank(aum)) = 5', 'cannot contain another portfolio measure', undefined],
    ['ntile(aum, aum) = 1', 'ntile() needs a whole number', undefined],
    [
      "sme_industry(industry) = 'manufacturing'",
      "sme_industry(industry) is never 'manufacturing'",
      "one of '农林牧渔业'",
    ],
    ["sme_industry(industry) in ('零售业', '批发')", "is never '批发'", "did you mean '批发业'?"],
  ])('refuses %j: %s', (rule, message, hint) => {
    try {
      scheme(rule)
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(SchemeError)
      expect((error as SchemeError).message).toContain(message)
      if (hint) expect((error as SchemeError).hint).toContain(hint)
      expect((error as SchemeError).exitCode).toBe(3)
    }
  })
})

describe('scheme files', () => {
  const fails = (text: string) => {
    try {
      fromText(text)
    } catch (error) {
      return error as SchemeError
    }
    throw new Error('the scheme was accepted')
  }

  it('points at the line and column of a mistake in a rule, with the line and a caret', () => {
    const e = fails('name: my-tiers\nversion: 1\ntiers:\n  - id: rich\n    rule: aum_total >= 6000000\n  - id: rest\n')
    expect(e.message).toBe(
      'test.yaml line 5, column 11: unknown field "aum_total"\n  5 |     rule: aum_total >= 6000000\n    |           ^^^^^^^^^',
    )
    expect(e.hint).toBe('did you mean "aum"?')
  })

  it('finds the place inside a block rule', () => {
    const e = fails(
      'name: t\nversion: 1\ntiers:\n  - id: a\n    rule: |\n      aum >= 5 and\n      name > 3\n  - id: b\n',
    )
    expect(e.message).toMatch(/^test\.yaml line 7, column 7: cannot compare name/)
  })

  it.each([
    [
      'name: t\nversion: 1\ntiers:\n  - id: a\n    rule: aum > 1\n  - id: a\n',
      'line 6, column 9: the tier id "a" is used twice',
    ],
    ['name: t\nversion: 1\ntiers:\n  - id: a\n  - id: b\n    rule: aum > 1\n', 'tier "a" has no rule'],
    [
      'name: t\nversion: 1\ntiers:\n  - id: a\n    rule: true\n  - id: b\n    rule: aum > 1\n',
      'tier "b" can never be reached: tier "a" before it takes every customer',
    ],
    [
      'name: t\nversion: 1\ntiers:\n  - id: a\n    rule: aum > 1\n  - id: b\n    rule: aum  >  1\n',
      'its rule is the same as tier "a"',
    ],
    ['name: t\nversion: 1\ntiers:\n  - id: a\n    rule: 1 > 2\n  - id: b\n', 'its rule never holds'],
    ['name: t\nversion: 1\ntiers:\n  - id: a\n    rules: aum > 1\n', '"rules" is not a key of a tier'],
    ['name: t\nversion: 1\ntiers: [\n', 'not a valid YAML or JSON file'],
    ['name: t\ntiers:\n  - id: a\n', 'the key "version" is missing'],
    [
      'name: t\nversion: 1\napplies_to: quintile(aum) = 5\ntiers:\n  - id: a\n',
      'applies_to cannot use a portfolio measure',
    ],
    [
      'name: t\nversion: 1\ntiers:\n  - id: a\n    rule: aum > 1\n    cadence_days: soon\n',
      'cadence_days must be a whole number',
    ],
    ['{"name": "t", "version": 1, "tiers": [{"id": "a", "rule": "aum > "}]}', 'line 1, column'],
  ])('refuses a broken scheme: %j', (text, message) => {
    expect(fails(text).message).toContain(message)
  })

  it('reads JSON as well as YAML', () => {
    const compiled = fromText('{"name": "t", "version": "2", "tiers": [{"id": "a", "rule": "aum >= 1"}, {"id": "b"}]}')
    expect(compiled.scheme.tiers.map((t) => t.id)).toEqual(['a', 'b'])
    expect(tierOne(compiled, {aum: 100})).toBe('a')
  })
})

describe('named definitions', () => {
  it('keep a written amount exact when a rule compares money with it', () => {
    const compiled = fromText(
      'name: t\nversion: 1\ndefine:\n  line: 0.1\n  big: aum >= 50万\ntiers:\n  - id: hit\n    rule: aum >= line and not big\n  - id: miss\n',
    )
    expect(tierOne(compiled, {aum: 10})).toBe('hit')
    expect(tierOne(compiled, {aum: 9})).toBe('miss')
  })

  it('refuse a definition in terms of itself', () => {
    expect(() =>
      fromText('name: t\nversion: 1\ndefine:\n  a: b + 1\n  b: a + 1\ntiers:\n  - id: x\n    rule: a > 1\n'),
    ).toThrow('defined in terms of itself')
  })
})

describe('the rule language an analyst reaches for', () => {
  const value = (expr: string, customer: Record<string, string | number | bigint | null>, extras = '') => {
    const compiled = fromText(
      `name: t\nversion: 1\n${extras}define:\n  v: "${expr.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"\ntiers:\n  - id: hit\n    rule: v is not null\n  - id: miss\n`,
    )
    const define = compiled.tiers[0].rule!.shape
    const target = define.kind === 'compare' ? define.sides[0] : undefined
    const values = compiled.inputs.map((i) => customer[i.name] ?? null)
    return target!.eval({values, index: 0})
  }

  it.each([
    ["case when aum >= 100 then 'rich' when aum >= 10 then 'mid' else 'poor' end", {aum: fen(150)}, 'rich'],
    ["case when aum >= 100 then 'rich' when aum >= 10 then 'mid' else 'poor' end", {aum: fen(50)}, 'mid'],
    ["case when aum >= 100 then 'rich' when aum >= 10 then 'mid' else 'poor' end", {aum: null}, 'poor'],
    ["case when aum >= 100 then 'rich' end", {aum: fen(5)}, null],
    ['case when aum >= 100 then 1 else aum end', {aum: fen(5)}, fen(5)],
  ])('evaluates %s for %j as %j', (expr, customer, expected) => {
    expect(value(expr, customer)).toBe(expected)
  })

  it.each([
    ["name like '蓝海%'", {name: '蓝海科技'}, true],
    ["name like '%科技'", {name: '蓝海科技'}, true],
    ["name like '蓝_科技'", {name: '蓝海科技'}, true],
    ["name like '蓝_科技'", {name: '蓝海海科技'}, false],
    ["name like 'abc'", {name: 'ABC'}, false],
    ["name ilike 'abc'", {name: 'ABC'}, true],
    ["name not like 'a%'", {name: 'bcd'}, true],
    ["name not ilike 'A%'", {name: 'abc'}, false],
    ["name like '50\\%'", {name: '50%'}, true],
    ["name like '50\\%'", {name: '500'}, false],
    ["name like 'a.c'", {name: 'abc'}, false],
    ["name like '%'", {name: 'line\nbreak'}, true],
    ["name like '%'", {name: null}, null],
    ["name not like '%'", {name: null}, null],
    ["name like '%%a%_b'", {name: 'xxaYb'}, true],
    ["name like 'a\\\\b'", {name: 'a\\b'}, true],
    ["name like '😀_'", {name: '😀😀'}, true],
    ["name ilike 'ÉCOLE%'", {name: 'école normale'}, true],
    ['name like pattern', {name: 'abc', pattern: 'a%'}, true],
    ['name like pattern', {name: 'abc', pattern: null}, null],
  ])('matches %s against %j: %j', (rule, customer, expected) => {
    expect(value(rule, customer, 'extras:\n  pattern: text\n')).toBe(expected)
  })

  it('matches a pattern of many % against long text without backtracking for ever', () => {
    const pattern = `${'%a'.repeat(40)}%b`
    expect(value(`name like '${pattern}'`, {name: 'a'.repeat(5000)})).toBe(false)
    expect(value(`name like '${pattern}'`, {name: `${'a'.repeat(5000)}b`})).toBe(true)
  })

  it.each([
    ["lower(name) = 'abc'", {name: 'AbC'}, true],
    ["upper(name) = 'ABC'", {name: 'aBc'}, true],
    ["trim(name) = 'abc'", {name: '  abc\u3000'}, true],
    ['lower(name) is null', {name: null}, true],
    ['round(aum, 0) = 3', {aum: 250}, true],
    ['round(aum, 0) = -3', {aum: -250}, true],
    ['round(aum, 1) = 2.5', {aum: 249}, true],
    ['round(aum, -4) = 2万', {aum: fen(15_000)}, true],
    ['floor(aum) = 2', {aum: 299}, true],
    ['floor(aum) = -3', {aum: -201}, true],
    ['ceil(aum) = 3', {aum: 201}, true],
    ['round(score, 2) = 2.68', {score: 2.675}, true],
    ['round(score) = 3', {score: 2.5}, true],
    ['round(score) = -3', {score: -2.5}, true],
    ['floor(score) = -3', {score: -2.5}, true],
    ['ceil(score) = 1', {score: 0.1}, true],
    ['round(score, 12) = score', {score: 1e301}, true],
    ['round(score, 2) is null', {score: null}, true],
    ['nullif(score, 0) is null', {score: 0}, true],
    ['nullif(score, 0) = 5', {score: 5}, true],
    ['nullif(aum, 0) is null', {aum: 0}, true],
    ['aum / nullif(loans, 0) > 1', {aum: fen(5), loans: 0}, null],
  ])('computes %s for %j: %j', (rule, customer, expected) => {
    expect(value(rule, customer, 'extras:\n  score: number\n')).toBe(expected)
  })

  it('rounds amounts beyond 2^53 fen exactly', () => {
    expect(value('round(aum, 0)', {aum: 9_007_199_254_740_993n})).toBe(9_007_199_254_741_000n)
    expect(value('floor(aum)', {aum: -9_007_199_254_740_993n})).toBe(-9_007_199_254_741_000n)
  })

  it.each([
    ['(aum > 100) + (loans > 0)', {aum: fen(200), loans: fen(1)}, 2],
    ['(aum > 100) + (loans > 0)', {aum: fen(200), loans: 0}, 1],
    ['(aum > 100) + (loans > 0)', {aum: null, loans: fen(1)}, null],
    ['-(aum > 100)', {aum: fen(200)}, -1],
    ['(aum > 100) * 3', {aum: fen(200)}, 3],
    ['count_true(aum > 100, loans > 0, deposits > 0)', {aum: fen(200), loans: null, deposits: 0}, 1],
    ['count_unknown(aum > 100, loans > 0, deposits > 0)', {aum: fen(200), loans: null, deposits: null}, 2],
    ['count_true(aum > 100)', {aum: null}, 0],
  ])('counts conditions as numbers: %s for %j is %j', (expr, customer, expected) => {
    expect(value(expr, customer)).toBe(expected)
  })

  it('computes median and percentile over the portfolio as PostgreSQL percentile_cont, leaving nulls out', () => {
    const compiled = fromText(
      'name: t\nversion: 1\ntiers:\n  - id: top\n    rule: aum > percentile(0.75, aum)\n  - id: upper\n    rule: aum > median(aum)\n  - id: rest\n',
    )
    const aums = [1, 2, 3, 4, null, 10].map((yuan) => ({aum: yuan === null ? null : fen(yuan)}))
    // Known: 1 2 3 4 10. Median 3; the 75th percentile sits at position 3: 4.
    expect(tiersOf(compiled, aums)).toEqual(['rest', 'rest', 'rest', 'upper', 'rest', 'top'])
    expect(percentileCont([1, 2, 3, 4], 0.5)).toBe(2.5)
    expect(percentileCont([1, 2, 3, 4], 0.9)).toBeCloseTo(3.7)
    expect(percentileCont([5], 0.3)).toBe(5)
    expect(Number.isNaN(percentileCont([null, null], 0.5))).toBe(true)
  })

  it('explains a case by the when that held and the condition it gave', () => {
    const compiled = fromText(
      "name: t\nversion: 1\ntiers:\n  - id: hit\n    rule: case when type = 'corporate' then revenue >= 1亿 else aum >= 50万 end\n  - id: miss\n",
    )
    const row = (values: Record<string, Value>) => ({
      values: compiled.inputs.map((i) => values[i.name] ?? null),
      index: 0,
    })
    expect(explainRow(compiled, row({type: 'corporate', revenue: fen(2e8)})).reason).toBe(
      "type 'corporate' = 'corporate'; revenue 200000000.00 >= 1亿",
    )
    expect(explainRow(compiled, row({type: 'individual', aum: fen(60e4)})).reason).toBe(
      "no when held: type 'individual' = 'corporate'; aum 600000.00 >= 50万",
    )
    expect(explainRow(compiled, row({type: 'individual', aum: fen(10)})).better?.needs).toEqual([
      'aum would have to be >= 50万 (now 10.00)',
    ])
  })

  it('counts a rule that reads a personal field through the new functions as reading it, and marks its literals', () => {
    const compiled = fromText(
      "name: t\nversion: 1\ntiers:\n  - id: hit\n    rule: lower(email) like '%@x.com'\n  - id: miss\n",
    )
    expect(personalReads(compiled)).toEqual([{field: 'email', rule: 'the rule of tier "hit"'}])
    const reason = classifyPortfolio(compiled, [{key: 'A', values: ['Wang@X.com']}]).reasons[0]
    expect(personalText(reason, false)).not.toContain('Wang')
    expect(personalText(reason, false)).not.toContain("'%@x.com'")
    expect(personalText(reason, true)).toBe("lower(email) 'wang@x.com' like '%@x.com'")
  })

  it.each([
    ['1 < aum < 5', 'comparisons cannot be chained', 'write 1 < aum and aum < 5'],
    ["case aum when 1 then 'a' end = 'a'", 'expected when after case', 'case when x ='],
    ["case when aum > 1 then 'a' = 'a'", 'expected when, else or end', 'end a case with end'],
    ["case when aum > 1 'a' end = 'a'", 'expected then', undefined],
    ["case when aum then 'a' end = 'a'", 'when needs a condition', undefined],
    ["case when aum > 1 then 'a' else 2 end = 'a'", 'case mixes text', undefined],
    ["aum like 'a%'", 'like needs text', undefined],
    ['round(aum, 2.5) > 1', 'the decimal places of round() must be a written whole number', undefined],
    ['percentile(90, aum) > 1', 'percentile() needs a fraction from 0 to 1', 'percentile(0.9, x)'],
    ['percentile(aum, aum) > 1', 'percentile() needs a fraction from 0 to 1', undefined],
    ['count_true(aum) > 1', 'count_true() needs a condition', undefined],
    ["nullif(aum, 'x') is null", 'cannot compare aum', undefined],
    ['end > 1', 'found the keyword "end"', 'backticks'],
    ["(name like 'a') + name > 1", '+ needs a number', undefined],
  ])('refuses %j: %s', (rule, message, hint) => {
    try {
      scheme(rule)
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(SchemeError)
      expect((error as SchemeError).message).toContain(message)
      if (hint) expect((error as SchemeError).hint).toContain(hint)
    }
  })
})
