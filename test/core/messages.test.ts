import {describe, expect, it} from 'vitest'
import {en, localize, MESSAGES, say, sayCount} from '../../src/core/messages.js'

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1])

describe('the message catalogue', () => {
  it.each(Object.entries(MESSAGES))('%s has both an English and a Chinese text', (_key, message) => {
    expect(message.en.trim()).not.toBe('')
    expect(message.zh.trim()).not.toBe('')
  })

  it.each(Object.entries(MESSAGES))('%s fills in Chinese only values its English names, each once in English', (_key, message) => {
    const names = placeholders(message.en)
    expect(new Set(names).size).toBe(names.length)
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
    [en('flagProblem', {flag: 'follow-up', problem: en('followUpPast', {date: '2024-01-01', today: '2024-02-01'})}), '--follow-up：跟进日期 2024-01-01 已过（今天是 2024-02-01）'],
    [en('amountTooLarge', {text: '1e30', max: '1,000,000,000,000,000.00'}), '1e30 过大，无法保存：单个金额最多 1,000,000,000,000,000.00 元；请检查该列的单位'],
  ])('puts %j into Chinese', (text, chinese) => {
    expect(localize(text, 'zh')).toBe(chinese)
  })

  it('translates each of the reasons joined for one row', () => {
    const joined = [en('badPhone', {text: '***45'}), en('notADate', {text: '1980-**-**'}), en('notAnAmount', {text: 'abc'})].join('; ')
    expect(localize(joined, 'zh')).toBe('“***45”不是内地手机号（以 13-19 开头的 11 位数字）或固定电话（区号 0xx）；1980-**-** 不是日期；“abc”不是金额（请写数字，可带小数点，最多 2 位小数，例如 1,234.56）')
  })

  it('keeps masked values masked and leaves text no template made as it is', () => {
    expect(localize(en('idNumberMasked', {masked: '110105********002X'}), 'zh')).toContain('110105********002X')
    expect(localize('a message from elsewhere', 'zh')).toBe('a message from elsewhere')
    expect(localize(en('fieldEmpty', {field: 'name'}), 'en')).toBe('name is empty')
  })
})
