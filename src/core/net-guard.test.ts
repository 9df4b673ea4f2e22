import { describe, expect, it } from 'vitest';
import type { lookup } from 'node:dns';
import { guardedLookup, isPrivateAddress, PrivateAddressError, webhookUrlProblem } from './net-guard.js';

describe('private addresses', () => {
  it.each([
    ['127.0.0.1', true], ['127.255.0.9', true], ['10.1.2.3', true], ['172.16.0.1', true], ['172.31.255.255', true], ['172.32.0.1', false],
    ['192.168.1.10', true], ['169.254.169.254', true], ['100.64.0.1', true], ['0.0.0.0', true], ['224.0.0.1', true], ['255.255.255.255', true],
    ['8.8.8.8', false], ['114.114.114.114', false], ['203.0.113.5', true],
    ['::1', true], ['::', true], ['fe80::1', true], ['fd12:3456::1', true], ['ff02::1', true], ['2001:db8::1', true],
    ['::ffff:127.0.0.1', true], ['::ffff:7f00:1', true], ['::ffff:10.0.0.1', true], ['::ffff:8.8.8.8', false],
    ['2400:3200::1', false], ['[::1]', true], ['example.cn', false],
  ])('%s → %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});

describe('webhook addresses', () => {
  it.each([
    ['https://crm.example.cn/hooks/pledge', null],
    ['http://203.119.1.1:8080/hook', null],
    ['ftp://example.cn/x', 'https'],
    ['https://user:pw@example.cn/hook', 'credentials'],
    ['http://localhost:3000/hook', 'private'],
    ['http://api.localhost/hook', 'private'],
    ['http://127.0.0.1/hook', 'private'],
    ['http://[::1]:8080/hook', 'private'],
    ['http://169.254.169.254/latest/meta-data', 'private'],
    ['http://10.0.0.5/hook', 'private'],
    ['not a url', 'malformed'],
  ])('%s → %s', (url, problem) => {
    expect(webhookUrlProblem(url, false)).toBe(problem);
  });

  it('allows private addresses when the installation says so, but never other schemes or credentials', () => {
    expect(webhookUrlProblem('http://10.0.0.5/hook', true)).toBeNull();
    expect(webhookUrlProblem('http://localhost/hook', true)).toBeNull();
    expect(webhookUrlProblem('file:///etc/passwd', true)).toBe('https');
    expect(webhookUrlProblem('https://a:b@10.0.0.5/', true)).toBe('credentials');
  });
});

describe('guarded lookup', () => {
  const answering = (...addresses: string[]) =>
    ((_host: string, _options: unknown, callback: (e: null, a: { address: string; family: number }[]) => void) =>
      callback(null, addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })))) as unknown as typeof lookup;
  const ask = (guard: ReturnType<typeof guardedLookup>, all: boolean) =>
    new Promise<{ error: Error | null; result: unknown }>((resolve) => {
      guard('hooks.example.cn', { all }, (error: Error | null, address: unknown) => resolve({ error, result: address }));
    });

  it('passes public answers through, one or all', async () => {
    expect(await ask(guardedLookup(false, answering('1.2.3.4', '2400:3200::1')), false)).toEqual({ error: null, result: '1.2.3.4' });
    expect((await ask(guardedLookup(false, answering('1.2.3.4', '2400:3200::1')), true)).result).toEqual([{ address: '1.2.3.4', family: 4 }, { address: '2400:3200::1', family: 6 }]);
  });

  it('refuses a name when any of its addresses is private', async () => {
    const { error } = await ask(guardedLookup(false, answering('1.2.3.4', '10.0.0.8')), false);
    expect(error).toBeInstanceOf(PrivateAddressError);
    expect(error!.message).toContain('10.0.0.8');
    expect((await ask(guardedLookup(true, answering('10.0.0.8')), false)).result).toBe('10.0.0.8');
  });
});
