import { describe, expect, it } from 'vitest';
import { message, negotiateLocale } from './i18n.js';

describe('negotiateLocale', () => {
  it.each([
    [undefined, 'zh-CN'],
    ['', 'zh-CN'],
    ['en-US', 'en-US'],
    ['en', 'en-US'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh-CN'],
    ['en-GB;q=0.9, zh-TW;q=0.5', 'en-US'],
    ['fr-FR, en;q=0.5', 'en-US'],
    ['fr-FR', 'zh-CN'],
    ['zh;q=0, en;q=0.1', 'en-US'],
  ])('%s → %s', (header, locale) => {
    expect(negotiateLocale(header)).toBe(locale);
  });
});

describe('message', () => {
  it('fills parameters and names entities in the language', () => {
    expect(message('zh-CN', 'not_found', { entity: 'branch' })).toBe('未找到该分支机构');
    expect(message('en-US', 'not_found', { entity: 'branch' })).toBe('This branch was not found');
    expect(message('en-US', 'conflict.username_taken', { username: 'zhangwei' })).toContain('zhangwei');
  });
});
