import {describe, expect, it} from 'vitest'
import {ENGLISH_KEYS, en, localize, MESSAGES, say, sayCount} from '../../src/core/messages.js'

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1])

describe('the message catalogue', () => {
  it.each(Object.entries(MESSAGES))('%s has both an English and a Chinese text', (_key, message) => {
    expect(message.en.trim()).not.toBe('')
    expect(message.zh.trim()).not.toBe('')
  })

  it.each(Object.entries(MESSAGES))('%s fills in Chinese only values its English names', (_key, message) => {
    const names = placeholders(message.en)
    for (const name of placeholders(message.zh)) expect(names).toContain(name)
  })

  it('fills a template with its values and says "1" in the singular', () => {
    expect(say('en', 'rowWidth', {cells: 4, header: 7})).toBe('the row has 4 columns but the header has 7')
    expect(say('zh', 'rowWidth', {cells: 4, header: 7})).toBe('该行有 4 列，但表头有 7 列')
    expect(sayCount('en', 'customerCount', 1)).toBe('1 customer')
    expect(sayCount('en', 'customerCount', 2000)).toBe('2,000 customers')
  })
})

describe('localize', () => {
  it.each([
    [en('fieldEmpty', {field: 'customer_id'}), 'customer_id 为空'],
    [en('contactCustomerAbsent', {id: 'C9'}), '客户 C9 不存在（请先导入该客户）'],
    [
      en('flagProblem', {flag: 'follow-up', problem: en('followUpPast', {date: '2024-01-01', today: '2024-02-01'})}),
      '--follow-up：跟进日期 2024-01-01 已过（今天是 2024-02-01）',
    ],
    [
      en('amountTooLarge', {text: '1e30', max: '1,000,000,000,000,000.00'}),
      '金额 1e30 过大，无法保存：单个金额最多 1,000,000,000,000,000.00 元；请检查该列的单位',
    ],
  ])('puts %j into Chinese', (text, chinese) => {
    expect(localize(text, 'zh')).toBe(chinese)
  })

  it.each(ENGLISH_KEYS)(
    'puts %s back into its own Chinese, not into a template that takes its words for values',
    (key) => {
      const names = [...new Set(placeholders(MESSAGES[key].en))]
      const params = Object.fromEntries(names.map((name, i) => [name, `v${i}`]))
      expect(localize(en(key, params), 'zh')).toBe(say('zh', key, params))
    },
  )

  it.each([
    [
      `${en('schemeAt', {file: 'my.yaml', line: 3, col: 11, message: en('unknownField', {name: 'aumm'})})}\n  3 | rule: aumm > 1\n    |       ^^^^`,
      'my.yaml 第 3 行第 11 列：未知字段“aumm”\n  3 | rule: aumm > 1\n    |       ^^^^',
    ],
    [en('expectedFound', {what: en('closeParen'), found: en('endOfRule')}), '此处应为 用于闭合 ( 的 )，却是 规则结尾'],
    [
      en('mappingTwiceValues', {file: 'm.json', key: '客户号', first: 'customer_id', second: 'name'}),
      '映射文件 m.json 中“客户号”出现了两次：“customer_id”和“name”',
    ],
    [
      en('contactInFutureHere', {at: '2030-01-01 10:00', offset: '+08:00', now: '2026-01-01 09:00'}),
      '2030-01-01 10:00 +08:00 是将来的时间（本地现在是 2026-01-01 09:00）：联系发生后才能记录；请检查日期',
    ],
    [en('residentIdBirth'), '证件号中的出生日期（第 7 至 14 位）不是有效日期'],
  ])('puts %j into Chinese, the quoted lines below the first as they are', (text, chinese) => {
    expect(localize(text, 'zh')).toBe(chinese)
  })

  it('translates each of the reasons joined for one row', () => {
    const joined = [
      en('badPhone', {text: '***45'}),
      en('notADate', {text: '1980-**-**'}),
      en('notAnAmount', {text: 'abc'}),
    ].join('; ')
    expect(localize(joined, 'zh')).toBe(
      '“***45”不是内地手机号（以 13-19 开头的 11 位数字）或固定电话（区号 0xx）；1980-**-** 不是日期；“abc”不是金额（请写数字，可带小数点，最多 2 位小数，例如 1,234.56）',
    )
  })

  it('keeps masked values masked and leaves text no template made as it is', () => {
    expect(localize(en('idNumberMasked', {masked: '110105********002X'}), 'zh')).toContain('110105********002X')
    expect(localize('a message from elsewhere', 'zh')).toBe('a message from elsewhere')
    expect(localize(en('fieldEmpty', {field: 'name'}), 'en')).toBe('name is empty')
  })
})
