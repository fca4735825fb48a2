import { describe, expect, it } from 'vitest';
import { redact, redactValue, registerSecret } from './redaction.ts';

describe('redaction', () => {
  registerSecret('s3cr"et/pw');

  it('masks a registered secret in text, in the forms JSON, URLs and base64 give it', () => {
    expect(redact('login with s3cr"et/pw failed')).toBe('login with [redacted] failed');
    expect(redact(JSON.stringify({ password: 's3cr"et/pw' }))).toBe('{"password":"[redacted]"}');
    expect(redact(`url?p=${encodeURIComponent('s3cr"et/pw')}`)).toBe('url?p=[redacted]');
    expect(redact(Buffer.from('s3cr"et/pw').toString('base64'))).toBe('[redacted]');
    expect(redact('nothing secret here')).toBe('nothing secret here');
  });

  it('masks every string in a JSON-like value, keys included, and leaves other values alone', () => {
    expect(redactValue({ notes: ['x s3cr"et/pw y'], n: 3, nested: { 's3cr"et/pw': true } })).toEqual({ notes: ['x [redacted] y'], n: 3, nested: { '[redacted]': true } });
  });
});
