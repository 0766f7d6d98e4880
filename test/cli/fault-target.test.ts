/**
 * Where `pullstorm fault` sends its calls and which CA it trusts: `--ca`, `$PULLSTORM_CA`, and the
 * ready line of `--ready` when `--url` is that stub's. Files are real; the real TLS flow (serve
 * --tls, then fault apply against its controlUrl) runs in test/cli/serve-faults.test.ts and in
 * the README's own block (test/readme/).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faultTarget, untrustedHint } from '../../harness/cli/fault-target.ts';
import { UsageError } from '../../vocab/errors.ts';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('pullstorm fault: target and CA', () => {
  let dir: string;
  let ca: string;
  let ready: string;
  const readyLine = (caFile: string | null) =>
    JSON.stringify({
      ready: true,
      url: 'https://127.0.0.1:5000',
      controlUrl: 'https://127.0.0.1:5001',
      caFile,
    });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pullstorm-fault-target-'));
    ca = join(dir, 'ca.crt');
    ready = join(dir, 'ready.json');
    await writeFile(ca, PEM);
    await writeFile(ready, `${readyLine(ca)}\n`);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('without a CA trusts the system store', async () => {
    expect(await faultTarget({ url: 'http://127.0.0.1:5000', env: {} })).toEqual({
      url: 'http://127.0.0.1:5000',
    });
  });

  it('--ca reads the PEM, and wins over $PULLSTORM_CA', async () => {
    const t = await faultTarget({ url: 'https://h:1', ca, env: { PULLSTORM_CA: '/nowhere' } });
    expect(t).toEqual({ url: 'https://h:1', caPem: PEM, caFrom: `--ca ${ca}` });
  });

  it('$PULLSTORM_CA is the default CA', async () => {
    expect((await faultTarget({ url: 'https://h:1', env: { PULLSTORM_CA: ca } })).caFrom).toBe(
      '$PULLSTORM_CA',
    );
  });

  it("--ready alone gives the controlUrl and trusts the ready line's caFile", async () => {
    expect(await faultTarget({ ready, env: {} })).toEqual({
      url: 'https://127.0.0.1:5001',
      caPem: PEM,
      caFrom: `--ready ${ready}`,
    });
  });

  it("--ready trusts its caFile for the stub's registry URL too", async () => {
    expect((await faultTarget({ url: 'https://127.0.0.1:5000/', ready, env: {} })).caPem).toBe(PEM);
  });

  it('--ready refuses a --url of another stub, naming both', async () => {
    await expect(faultTarget({ url: 'https://127.0.0.1:6000', ready, env: {} })).rejects.toThrow(
      /--ready .*ready\.json: expected the ready line of the stub at https:\/\/127\.0\.0\.1:6000, got one for https:\/\/127\.0\.0\.1:5000 and https:\/\/127\.0\.0\.1:5001/,
    );
  });

  it('--ready finds the ready line among other output', async () => {
    const mixed = join(dir, 'mixed.json');
    await writeFile(mixed, `starting…\n${readyLine(null)}\n`);
    expect(await faultTarget({ ready: mixed, env: {} })).toEqual({ url: 'https://127.0.0.1:5001' });
  });

  it('--ready waits for a stub started in the background to print its ready line', async () => {
    const later = join(dir, 'later.json');
    setTimeout(() => void writeFile(later, `${readyLine(null)}\n`), 300);
    expect(await faultTarget({ ready: later, env: {}, waitMs: 10_000 })).toEqual({
      url: 'https://127.0.0.1:5001',
    });
  });

  it('bad files are usage errors saying what was expected and what was given', async () => {
    const empty = join(dir, 'empty.json');
    await writeFile(empty, '');
    const cases: [Parameters<typeof faultTarget>[0], RegExp][] = [
      [
        { url: 'https://h:1', ca: join(dir, 'none.crt'), env: {} },
        /--ca .*none\.crt: expected a PEM CA certificate, got no file at/,
      ],
      [
        { url: 'https://h:1', ca: ready, env: {} },
        /expected a PEM CA certificate \(-----BEGIN CERTIFICATE-----\), got .*ready\.json without one/,
      ],
      [
        { ready: empty, env: {} },
        /--ready .*empty\.json: expected pullstorm serve's ready line .*, got an empty file/,
      ],
      [
        { env: {} },
        /--url: expected the stub's URL such as http:\/\/127\.0\.0\.1:5000 \(or --ready with its ready line\), got none/,
      ],
      [{ url: 'localhost:5000', env: {} }, /got 'localhost:5000'/],
    ];
    for (const [input, message] of cases) {
      await expect(faultTarget({ waitMs: 0, ...input })).rejects.toThrow(UsageError);
      await expect(faultTarget({ waitMs: 0, ...input })).rejects.toThrow(message);
    }
  });

  it('an untrusted certificate becomes a usage error saying how to trust the stub', async () => {
    const tlsError = Object.assign(new Error('unable to verify the first certificate'), {
      code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    });
    const hint = untrustedHint(new Error('could not reach', { cause: tlsError }), { url: 'https://h:1' });
    expect(hint).toBeInstanceOf(UsageError);
    expect(hint?.message).toMatch(
      /not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE, no CA given\).*--ca <tls-dir>\/ca\.crt, \$PULLSTORM_CA, or --ready/,
    );
    expect(
      untrustedHint(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }), { url: 'https://h:1' }),
    ).toBeUndefined();
  });
});
