import {once} from 'node:events'
import {PassThrough} from 'node:stream'
import {setTimeout as sleep} from 'node:timers/promises'
import {MessageChannel} from 'node:worker_threads'
import {describe, expect, it} from 'vitest'
import {receiveStandardInput, sendStandardInput} from '../../src/io/standard-input.js'

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = []
  for await (const part of stream) parts.push(part as Buffer)
  return Buffer.concat(parts)
}

describe('sendStandardInput and receiveStandardInput', () => {
  it('pass every byte across, in order, then the end', async () => {
    const stdin = new PassThrough()
    const {port1, port2} = new MessageChannel()
    sendStandardInput(port1, stdin)
    const received = readAll(receiveStandardInput(port2))
    const sent: Buffer[] = []
    for (let i = 0; i < 200; i++) {
      const piece = Buffer.alloc(1 + ((i * 7919) % 20_000), i)
      sent.push(piece)
      stdin.write(piece)
      if (i % 10 === 0) await sleep(1)
    }
    stdin.end()
    expect((await received).equals(Buffer.concat(sent))).toBe(true)
  })

  it('send no more than the reader asks for', async () => {
    const stdin = new PassThrough({highWaterMark: 64 * 1024})
    const {port1, port2} = new MessageChannel()
    sendStandardInput(port1, stdin)
    const input = receiveStandardInput(port2)
    for (let i = 0; i < 160; i++) stdin.write(Buffer.alloc(64 * 1024))
    // The reader reads nothing: a few chunks go ahead, and the rest (10 MB) waits on the sending side.
    input.read(0)
    for (let i = 0; i < 50; i++) await sleep(2)
    expect(input.readableLength).toBeLessThanOrEqual(512 * 1024)
    expect(stdin.readableLength + stdin.writableLength).toBeGreaterThan(9 * 1024 * 1024)
    input.destroy()
  })

  it('pass a read error on', async () => {
    const stdin = new PassThrough()
    const {port1, port2} = new MessageChannel()
    sendStandardInput(port1, stdin)
    const received = readAll(receiveStandardInput(port2))
    stdin.destroy(Object.assign(new Error('EIO: i/o error, read'), {code: 'EIO'}))
    await expect(received).rejects.toMatchObject({message: 'EIO: i/o error, read', code: 'EIO'})
  })

  it('let go of standard input when the reader stops early, or when told to stop', async () => {
    const stdin = new PassThrough()
    const {port1, port2} = new MessageChannel()
    sendStandardInput(port1, stdin)
    receiveStandardInput(port2).destroy()
    await once(stdin, 'close')
    expect(stdin.destroyed).toBe(true)

    const other = new PassThrough()
    const channel = new MessageChannel()
    const stop = sendStandardInput(channel.port1, other)
    stop()
    expect(other.destroyed).toBe(true)
    channel.port2.close()
  })
})
