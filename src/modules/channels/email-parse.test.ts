import { describe, expect, it } from 'vitest';
import { automaticReason, cleanSubject, domainOf, guessLocale, normalizeMessageId, replySubject, replyText, stripQuoted, subjectTag, threadIds } from './email-parse.js';

describe('stripQuoted', () => {
  it('cuts at the Chinese original-mail separator (Outlook, QQ, Foxmail)', () => {
    const text = '已经重启过路由器了，还是不行。\n\n-----原始邮件-----\n发件人: support@hx.cn\n发送时间: 2026年11月23日 10:00\n主题: Re: [#20261123000042] 宽带报修\n\n您好，请重启路由器';
    expect(stripQuoted(text)).toBe('已经重启过路由器了，还是不行。');
    expect(stripQuoted('好的\n------------------ 原始邮件 ------------------\n发件人: a')).toBe('好的');
    expect(stripQuoted('收到\n---- 回复的原邮件 ----\n| 发件人 | a |')).toBe('收到');
  });

  it('cuts at Gmail and Apple attributions, also when wrapped over two lines', () => {
    expect(stripQuoted('Still broken.\n\nOn Mon, 23 Nov 2026 at 10:00, Support <s@hx.cn> wrote:\n> Please restart')).toBe('Still broken.');
    expect(stripQuoted('Still broken.\n\nOn Mon, 23 Nov 2026 at 10:00, Support <s@hx.cn>\nwrote:\n> Please restart')).toBe('Still broken.');
    expect(stripQuoted('还是不行\n\n在 2026年11月23日 周一 10:00，客服 <s@hx.cn> 写道：\n> 请重启')).toBe('还是不行');
    expect(stripQuoted('还是不行\n\n2026年11月23日 上午10:00，客服 <s@hx.cn>\n写道：\n\n> 请重启')).toBe('还是不行');
  });

  it('cuts at an Outlook header block and drops ">" lines', () => {
    expect(stripQuoted('Thanks\n\n________________________________\nFrom: Support <s@hx.cn>\nSent: Monday\nTo: me\n\nold')).toBe('Thanks');
    expect(stripQuoted('谢谢\n发件人：客服\n发送时间：2026-11-23\n收件人：我\n\n旧内容')).toBe('谢谢');
    expect(stripQuoted('> quoted line\nmy answer\n> more quoted\nand more')).toBe('my answer\nand more');
  });

  it('cuts the signature and keeps a message that is all quote', () => {
    expect(stripQuoted('Fine now.\n-- \nWang Wei\nACME')).toBe('Fine now.');
    expect(stripQuoted('> only a quote')).toBe('> only a quote');
    // "From:" in prose without a header block after it is not a marker.
    expect(stripQuoted('From: my side everything is fine.\nThanks')).toBe('From: my side everything is fine.\nThanks');
  });
});

describe('subjects and threading', () => {
  it('finds the tag and cleans prefixes', () => {
    expect(subjectTag('Re: [#20261123000042] 宽带报修')).toBe('20261123000042');
    expect(subjectTag('宽带报修 #20261123000042')).toBeNull();
    expect(cleanSubject('回复：Re: [#20261123000042] 宽带报修')).toBe('宽带报修');
    expect(cleanSubject('  Fwd:  RE: 发票   申请 ')).toBe('发票 申请');
    expect(replySubject('20261123000042', 'Re: [#20261123000042] 宽带报修')).toBe('Re: [#20261123000042] 宽带报修');
  });

  it('lists referenced ids nearest first, normalized and unique', () => {
    expect(threadIds('<c@x>', '<a@x> <b@x> <c@x>')).toEqual(['<c@x>', '<b@x>', '<a@x>']);
    expect(threadIds(null, ['<a@x>', 'b@x'])).toEqual(['<b@x>', '<a@x>']);
    expect(threadIds(undefined, undefined)).toEqual([]);
    expect(normalizeMessageId(' <<abc@x>> ')).toBe('<abc@x>');
    expect(normalizeMessageId('a b')).toBeNull();
    expect(domainOf('Support <support@HX.cn>')).toBe('hx.cn');
    expect(domainOf('nobody')).toBeNull();
  });
});

describe('automatic mail', () => {
  const h = (entries: Record<string, unknown>) => new Map(Object.entries(entries));
  it('recognizes auto-replies, bulk mail and bounces, and lets people through', () => {
    expect(automaticReason(h({ 'auto-submitted': 'auto-replied' }), 'a@b.cn')).toBe('auto_submitted');
    expect(automaticReason(h({ 'auto-submitted': 'no' }), 'a@b.cn')).toBeNull();
    expect(automaticReason(h({ 'x-autoreply': 'yes' }), 'a@b.cn')).toBe('autoreply');
    expect(automaticReason(h({ precedence: 'bulk' }), 'a@b.cn')).toBe('precedence');
    expect(automaticReason(h({ precedence: 'auto_reply' }), 'a@b.cn')).toBe('precedence');
    expect(automaticReason(h({ 'content-type': { value: 'multipart/report', params: {} } }), 'a@b.cn')).toBe('bounce');
    expect(automaticReason(h({}), 'MAILER-DAEMON@mx.b.cn')).toBe('bounce');
    expect(automaticReason(h({}), null)).toBe('bounce');
    expect(automaticReason(h({}), 'a@b.cn', '')).toBe('bounce');
    expect(automaticReason(h({ 'content-type': { value: 'text/plain' } }), 'a@b.cn', 'a@b.cn')).toBeNull();
  });
});

describe('language and texts', () => {
  it('guesses the language from the text', () => {
    expect(guessLocale('宽带又断了', 'en-US')).toBe('zh-CN');
    expect(guessLocale('My broadband is down again', 'zh-CN')).toBe('en-US');
    expect(guessLocale('ok 1234', 'zh-CN')).toBe('zh-CN');
  });

  it('puts the tracking footer in the customer language', () => {
    expect(replyText('请重启路由器。', '20261123000042', 'zh-CN')).toContain('受理编号：20261123000042');
    expect(replyText('Please restart.', '20261123000042', 'en-US')).toContain('Tracking number: 20261123000042');
  });
});
