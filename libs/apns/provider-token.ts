import { importPKCS8, SignJWT } from 'jose';

type SigningKey = Awaited<ReturnType<typeof importPKCS8>>;

/**
 * How long one provider token is used. Apple refuses a token older than an hour
 * (ExpiredProviderToken) and answers TooManyProviderTokenUpdates to a new one more often than every
 * 20 minutes: 50 minutes sits inside both with room for clock skew.
 */
export const TOKEN_REFRESH_MS = 50 * 60_000;
/** Never sign a new token sooner than this after the last one (Apple's own floor). */
export const MIN_TOKEN_AGE_MS = 20 * 60_000;

/** The team's identity and .p8 key (PKCS #8 PEM, P-256) a provider token is signed with. */
export interface ProviderIdentity {
  teamId: string;
  keyId: string;
  /** The text of the .p8 file. */
  keyPem: string;
}

/**
 * The provider authentication token APNs requires on every request: an ES256 JWT with `kid` (the
 * key id) in its header and `iss` (the team id) and `iat` in its claims. One token is reused for
 * every push for TOKEN_REFRESH_MS, then signed anew on the next use; concurrent callers share one
 * signature. The clock is injectable so the refresh schedule is testable without waiting.
 */
export class ProviderToken {
  private current: { jwt: string; issuedAtMs: number } | undefined;
  private signing: Promise<string> | undefined;
  private signed = 0;

  private constructor(
    private readonly key: SigningKey,
    private readonly identity: Omit<ProviderIdentity, 'keyPem'>,
    private readonly now: () => number,
  ) {}

  /** Imports the .p8 key; rejects when it is no P-256 private key in PKCS #8 PEM. */
  static async create(
    { keyPem, ...identity }: ProviderIdentity,
    now: () => number = Date.now,
  ): Promise<ProviderToken> {
    return new ProviderToken(await importPKCS8(keyPem, 'ES256'), identity, now);
  }

  /** How many tokens were signed so far (for tests and the bench). */
  get signedCount(): number {
    return this.signed;
  }

  /** The token to send now: the current one while it is younger than TOKEN_REFRESH_MS. */
  async get(): Promise<string> {
    const current = this.current;
    if (current && this.now() - current.issuedAtMs < TOKEN_REFRESH_MS) return current.jwt;
    this.signing ??= this.sign().finally(() => (this.signing = undefined));
    return this.signing;
  }

  /**
   * APNs answered ExpiredProviderToken for `jwt`: the next get() signs anew, unless the current
   * token is younger than MIN_TOKEN_AGE_MS (a clock far off, not an old token: signing again would
   * only earn TooManyProviderTokenUpdates). Returns whether a retry would carry a new token.
   */
  expire(jwt: string): boolean {
    const current = this.current;
    if (!current || current.jwt !== jwt) return true; // replaced meanwhile by another caller
    if (this.now() - current.issuedAtMs < MIN_TOKEN_AGE_MS) return false;
    this.current = undefined;
    return true;
  }

  private async sign(): Promise<string> {
    const issuedAtMs = this.now();
    const jwt = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: this.identity.keyId })
      .setIssuer(this.identity.teamId)
      .setIssuedAt(Math.floor(issuedAtMs / 1000))
      .sign(this.key);
    this.current = { jwt, issuedAtMs };
    this.signed += 1;
    return jwt;
  }
}
