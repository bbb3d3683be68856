import { describe, expect, it } from 'vitest';
import { createRedactor, MASK } from '../../../source/secrets/redact.ts';
import { KeychainError } from '../../../source/secrets/keychain.ts';

const secret = 'p@ss/word+42?&"x"';

describe('redactor', () => {
  it('masks a value and its base64 (std, url-safe, unpadded), url-encoded and JSON-escaped forms in a log line', () => {
    const r = createRedactor();
    r.add(secret);
    const b64 = Buffer.from(secret).toString('base64');
    const b64url = Buffer.from(secret).toString('base64url');
    expect(b64).not.toBe(b64url); // the value was picked so that the two differ
    const lineText = [
      `raw=${secret}`,
      `b64=${b64}`,
      `b64url=${b64url}`,
      `url=https://x/?p=${encodeURIComponent(secret)}`,
      `json=${JSON.stringify({ password: secret })}`,
    ].join(' ');
    const out = r.redact(lineText);
    expect(out).toBe(`raw=${MASK} b64=${MASK} b64url=${MASK} url=https://x/?p=${MASK} json={"password":"${MASK}"}`);
    for (const form of [secret, b64, b64url, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]) expect(out).not.toContain(form);
  });

  it('masks every registered value, longest match first, and repeated occurrences', () => {
    const r = createRedactor();
    r.add('abcd');
    r.add('abcdefgh');
    expect(r.redact('abcdefgh abcd xabcdx abcdabcd')).toBe(`${MASK} ${MASK} x${MASK}x ${MASK}${MASK}`);
    expect(r.size).toBe(2);
  });

  it('ignores values shorter than 4 characters and leaves text alone with nothing registered', () => {
    const r = createRedactor();
    expect(r.redact('nothing to hide')).toBe('nothing to hide');
    r.add('on');
    r.add('');
    expect(r.size).toBe(0);
    expect(r.redact('turned on')).toBe('turned on');
  });

  it('treats regex characters in values literally', () => {
    const r = createRedactor();
    r.add('a.*b(c)[d]$');
    expect(r.redact('x a.*b(c)[d]$ y aXXb(c)[d]$')).toBe(`x ${MASK} y aXXb(c)[d]$`);
  });

  it('redacts an error: message, stack, cause, and keeps its class and fields', () => {
    const r = createRedactor();
    r.add('hunter2-secret');
    const cause = new Error(`auth failed with token aHVudGVyMi1zZWNyZXQ=`);
    const err = new KeychainError('login as admin:hunter2-secret failed', 'failed');
    (err as { cause?: unknown }).cause = cause;
    const red = r.redactError(err);
    expect(red).toBeInstanceOf(KeychainError);
    expect(red.message).toBe(`login as admin:${MASK} failed`);
    expect(red.stack).not.toContain('hunter2-secret');
    expect((red as KeychainError).reason).toBe('failed');
    expect((red.cause as Error).message).toBe(`auth failed with token ${MASK}`);
    expect(r.redactError('plain hunter2-secret string').message).toBe(`plain ${MASK} string`);
    // The original is untouched.
    expect(err.message).toContain('hunter2-secret');
  });

  it('stays fast with many values', () => {
    const r = createRedactor();
    for (let i = 0; i < 200; i++) r.add(`secret-value-${i}-${'x'.repeat(20)}`);
    const text = 'ordinary log line with nothing secret in it '.repeat(2000);
    const t = performance.now();
    for (let i = 0; i < 20; i++) r.redact(text);
    expect(performance.now() - t).toBeLessThan(2000);
  });
});
