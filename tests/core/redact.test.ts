/** Database URLs and passwords are redacted in free text and in every MaiError (message, hint, file, JSON). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { environmentError } from '../../src/core/errors.js';
import { redactSecrets } from '../../src/core/redact.js';

describe('redactSecrets', () => {
  it.each([
    ['postgres://lab:s3cret@db.lab:5432/mai', 'postgres://lab:***@db.lab:5432/mai'],
    ['postgresql://lab:p@ss:w0rd@db/mai?sslmode=require', 'postgresql://lab:***@db/mai?sslmode=require'],
    ['connect ECONNREFUSED for postgres://u:x@10.0.0.2/mai (retrying)', 'connect ECONNREFUSED for postgres://u:***@10.0.0.2/mai (retrying)'],
    ['postgres://db/mai?user=lab&password=s3cret&sslmode=require', 'postgres://db/mai?user=lab&password=***&sslmode=require'],
    ["host=db user=lab password='a b c' dbname=mai", 'host=db user=lab password=*** dbname=mai'],
    ['host=db PASSWORD = hunter2 port=5432', 'host=db PASSWORD = *** port=5432'],
    ['postgres://lab@db/mai', 'postgres://lab@db/mai'],
    ['.mai/results.db', '.mai/results.db'],
    ['/data/local/tmp/mai/benchmark_model', '/data/local/tmp/mai/benchmark_model'],
  ])('%s', (text, redacted) => {
    expect(redactSecrets(text)).toBe(redacted);
  });

  it('property: a password in a database URL never survives (500 runs)', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/),
        fc.string({ minLength: 6, maxLength: 30, unit: 'grapheme' }),
        fc.constantFrom('', 'connection to ', 'error: could not connect to '),
        (user, password, before) => {
          const url = `postgres://${user}:${encodeURIComponent(password)}@db.example:5432/mai`;
          const out = redactSecrets(`${before}${url} failed`);
          expect(out).toBe(`${before}postgres://${user}:***@db.example:5432/mai failed`);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('every MaiError is redacted: message, hint, file and JSON', () => {
    const e = environmentError('db-unreachable', 'cannot reach postgres://lab:s3cret@db/mai', { hint: 'check password=s3cret in lab.yaml', file: 'postgres://lab:s3cret@db/mai' });
    expect(JSON.stringify(e.toJSON())).not.toContain('s3cret');
    expect(e.message).toBe('cannot reach postgres://lab:***@db/mai');
    expect(e.hint).toBe('check password=*** in lab.yaml');
    expect(e.file).toBe('postgres://lab:***@db/mai');
  });
});
