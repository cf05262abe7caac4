import { createHash, X509Certificate } from 'node:crypto';
import { accessSync, constants, readFileSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { aptInstall } from '../../support/debian.js';

/**
 * Headless Chromium for the ops specs that need a real browser: Debian's `chromium` package driven
 * by playwright-core, which never downloads a browser of its own (nothing is fetched at run time).
 */
export type Found = { ok: true; executablePath: string } | { ok: false; reason: string };

const DEFAULT_PATH = '/usr/bin/chromium';

const executable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * `CHROMIUM_PATH` when set (used as it is: the operator chose it), else /usr/bin/chromium, installed
 * now from Debian's package when missing (aptInstall). Chromium's package starts no service, so no
 * policy-rc.d is needed. Otherwise `{ ok: false, reason }`: the caller skips and prints the reason.
 */
export function findChromium(
  log: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Found {
  const chosen = process.env['CHROMIUM_PATH'];
  if (chosen) {
    return executable(chosen)
      ? { ok: true, executablePath: chosen }
      : { ok: false, reason: `CHROMIUM_PATH=${chosen} is not an executable file` };
  }
  if (executable(DEFAULT_PATH)) return { ok: true, executablePath: DEFAULT_PATH };

  const failed = aptInstall(['chromium'], log);
  if (failed)
    return {
      ok: false,
      reason: `no Chromium at ${DEFAULT_PATH}; ${failed} (or set CHROMIUM_PATH)`,
    };
  return executable(DEFAULT_PATH)
    ? { ok: true, executablePath: DEFAULT_PATH }
    : {
        ok: false,
        reason: `apt-get install chromium succeeded but ${DEFAULT_PATH} is still missing`,
      };
}

/**
 * The value Chromium's `--ignore-certificate-errors-spki-list` takes for a certificate: base64 of
 * the SHA-256 of its DER SubjectPublicKeyInfo. The first certificate of a PEM bundle (the leaf).
 */
export function spkiPin(certificatePem: string | Buffer): string {
  const spki = new X509Certificate(certificatePem).publicKey.export({
    type: 'spki',
    format: 'der',
  });
  return createHash('sha256').update(spki).digest('base64');
}

/** The pin of a certificate file (see spkiPin). */
export const spkiPinOfFile = (file: string): string => spkiPin(readFileSync(file));

/**
 * Launches headless Chromium. With `trustSpki`, certificate errors are ignored for servers whose
 * key has exactly that pin and for no other: our self-signed host is trusted without turning TLS
 * checks off for the whole browser (Chromium honours this switch because Playwright always passes a
 * --user-data-dir of its own).
 */
export function launchChromium(
  executablePath: string,
  opts: { trustSpki?: string[] } = {},
): Promise<Browser> {
  const args = [
    // Root in a container: the setuid/user-namespace sandbox is unavailable.
    '--no-sandbox',
    '--disable-gpu',
    // /dev/shm is 64 MB in many containers; Chromium then crashes on large pages.
    '--disable-dev-shm-usage',
    // No update checks, safe-browsing lists, metrics or other traffic the test did not ask for.
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--no-default-browser-check',
  ];
  if (opts.trustSpki?.length)
    args.push(`--ignore-certificate-errors-spki-list=${opts.trustSpki.join(',')}`);
  return chromium.launch({ executablePath, headless: true, args, timeout: 60_000 });
}
