import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MASK, hasPersonalPattern, scrub } from './scrub.js';

/** Brute-force reference: the longest run of digits, where single spaces or hyphens between digits join them. */
function longestDigitRun(text: string): number {
  const isDigit = (c: string | undefined) => c !== undefined && /[0-9\uFF10-\uFF19]/.test(c);
  let best = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (isDigit(c)) {
      run++;
      best = Math.max(best, run);
    } else if ((c === ' ' || c === '-') && run > 0 && isDigit(text[i + 1])) {
      // joined: the run goes on
    } else {
      run = 0;
    }
  }
  return best;
}

const pick = <T>(items: readonly T[]) => fc.constantFrom(...items);
const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));

const cjkWords = ['您好', '宽带', '服务', '态度', '很好', '建议', '增加', '窗口', '投诉', '排队', '时间', '太长', '营业厅', '感谢', '工作人员', '耐心'];
const latinWords = ['service', 'hall', 'wait', 'thanks', 'queue', 'staff', 'open', 'Monday'];
const punctuation = ['，', '。', '！', '？', ', ', '. ', '：', '（', '）', ' '];

/** Text without personal data: words, punctuation, short numbers (each closed by a unit) and dates. */
const cleanToken = fc.oneof(
  pick(cjkWords),
  pick(latinWords),
  pick(punctuation),
  fc.integer({ min: 1, max: 6 }).chain(digits).map((n) => `${n}元`),
  fc.tuple(fc.integer({ min: 2000, max: 2099 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 })).map(([y, m, d]) => `${y}-${m}-${d}日`),
);
const cleanText = fc.array(cleanToken, { maxLength: 30 }).map((t) => t.join(''));

const mobile = fc.tuple(pick(['3', '5', '7', '8', '9']), digits(9), pick(['plain', 'spaced', 'dashed', 'intl'])).map(([second, rest, style]) => {
  const n = `1${second}${rest}`;
  if (style === 'spaced') return `${n.slice(0, 3)} ${n.slice(3, 7)} ${n.slice(7)}`;
  if (style === 'dashed') return `${n.slice(0, 3)}-${n.slice(3, 7)}-${n.slice(7)}`;
  if (style === 'intl') return `+86 ${n}`;
  return n;
});
const landline = fc.tuple(fc.integer({ min: 2, max: 3 }).chain(digits), fc.integer({ min: 7, max: 8 }).chain(digits)).map(([area, local]) => `0${area}-${local}`);
const idCard = fc.tuple(digits(17), pick(['0', '5', '9', 'X', 'x'])).map(([body, check]) => `${body}${check}`);
const bankCard = fc.tuple(fc.integer({ min: 16, max: 19 }).chain(digits), fc.boolean()).map(([n, grouped]) => (grouped ? n.replace(/(\d{4})(?=\d)/g, '$1 ') : n));
const email = fc.tuple(fc.stringMatching(/^[a-z][a-z0-9._]{0,10}$/), fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/), pick(['com', 'cn', 'com.cn', 'org'])).map(([local, domain, tld]) => `${local}@${domain}.${tld}`);
const personal = fc.oneof(mobile, landline, idCard, bankCard, email);

const cjkName = fc.array(pick(['林', '王', '张', '李', '欣', '伟', '芳', '娜', '秀', '英']), { minLength: 2, maxLength: 3 }).map((c) => c.join(''));

describe('scrub (脱敏)', () => {
  it('masks the usual forms', () => {
    expect(scrub('我的电话 13800138000，邮箱 lin.wei@example.com.cn')).toBe(`我的电话 ${MASK}，邮箱 ${MASK}`);
    expect(scrub('座机 027-87654321 或 +86 138 0013 8000')).toBe(`座机 ${MASK} 或 ${MASK}`);
    expect(scrub('身份证 42010619900101123X 卡号 6222 0212 3456 7890 123')).toBe(`身份证 ${MASK} 卡号 ${MASK}`);
    expect(scrub('全角 １３８００１３８０００')).toBe(`全角 ${MASK}`);
    expect(scrub('林女士反映：林女士于 2026-11-20 到厅办理，等候 45 分钟', ['林女士'])).toBe(`${MASK}反映：${MASK}于 2026-11-20 到厅办理，等候 45 分钟`);
    expect(scrub('Dear Li Wei, Lily and Li came', ['Li Wei'])).toBe(`Dear ${MASK}, Lily and ${MASK} came`);
    expect(scrub('single 王 is kept', ['王'])).toBe('single 王 is kept');
  });

  it('leaves text without personal data unchanged', () => {
    fc.assert(
      fc.property(cleanText, (text) => {
        expect(longestDigitRun(text.replace(/\d{4}-\d{1,2}-\d{1,2}/g, 'D'))).toBeLessThan(7);
        expect(scrub(text)).toBe(text);
        expect(scrub(text, ['赵钱孙'])).toBe(text);
        expect(hasPersonalPattern(text)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('no phone, ID-card, bank-card or e-mail pattern survives, and scrubbing again changes nothing', () => {
    const mixed = fc.array(fc.oneof(cleanText, personal, personal.map((p) => ` ${p} `)), { minLength: 1, maxLength: 12 }).map((parts) => parts);
    fc.assert(
      fc.property(mixed, (parts) => {
        const text = parts.join('');
        const out = scrub(text);
        expect(longestDigitRun(out.replace(/\d{4}-\d{1,2}-\d{1,2}/g, 'D'))).toBeLessThan(7);
        expect(out).not.toContain('@');
        expect(hasPersonalPattern(out)).toBe(false);
        expect(scrub(out)).toBe(out);
      }),
      { numRuns: 500 },
    );
  });

  it('removes the submitter’s name wherever it stands', () => {
    fc.assert(
      fc.property(cjkName, fc.array(fc.oneof(cleanText, fc.constant('NAME')), { maxLength: 8 }), (name, parts) => {
        const text = parts.map((p) => (p === 'NAME' ? name : p)).join('');
        const out = scrub(text, [name]);
        expect(out).not.toContain(name);
        if (!parts.includes('NAME') && !text.includes(name)) expect(out).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});
