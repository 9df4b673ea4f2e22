import { describe, expect, it } from 'vitest';
import { checkPolitePhrases } from './polite-phrases.js';

describe('checkPolitePhrases', () => {
  it('finds greeting, thanks and closing in a Chinese reply', () => {
    const check = checkPolitePhrases('王女士您好！感谢您的耐心等待，退款已于今日到账。如有疑问请随时联系我们，祝您生活愉快！');
    expect(check).toEqual({ greeting: true, thanks: true, closing: true, missing: [] });
  });

  it('reports what is missing, in reply order', () => {
    expect(checkPolitePhrases('退款已到账。').missing).toEqual(['greeting', 'thanks', 'closing']);
    expect(checkPolitePhrases('你好，退款已到账。').missing).toEqual(['thanks', 'closing']);
    expect(checkPolitePhrases('退款已到账，谢谢。').missing).toEqual(['greeting', 'closing']);
    expect(checkPolitePhrases('退款已到账。再见！').missing).toEqual(['greeting', 'thanks']);
    expect(checkPolitePhrases('尊敬的客户：退款已到账。此致').missing).toEqual(['thanks']);
  });

  it('reads English replies word by word', () => {
    expect(checkPolitePhrases('Hello Ms Wang,\nthank you for waiting. The refund arrived.\nBest regards,\nZhang Wei').missing).toEqual([]);
    expect(checkPolitePhrases('Dear customer, thanks! If you have any further questions, just reply.').missing).toEqual([]);
    expect(checkPolitePhrases('Hi, the refund arrived.\nBest,\nZhang').missing).toEqual(['thanks']);
    // "hi" inside "this", "best" mid-sentence and "thanksgiving"-like words are not polite phrases.
    expect(checkPolitePhrases('This is the best way to do it; shipping arrives soon.').missing).toEqual(['greeting', 'thanks', 'closing']);
    expect(checkPolitePhrases('Good morning! Kind regards').missing).toEqual(['thanks']);
  });

  it('treats an empty text as missing everything', () => {
    expect(checkPolitePhrases('').missing).toEqual(['greeting', 'thanks', 'closing']);
  });
});
