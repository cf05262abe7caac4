import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { ApiKeySecret, type CredentialSecret } from './credential-secret.js';
import { CredentialUsage } from './credential-usage.js';

export const API_KEY_SCOPES = ['read', 'scan', 'predict', 'admin', 'install'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** What an app key (scope `install`) may hand to the installations it registers: never admin. */
export const GRANTABLE_SCOPES = ['read', 'scan', 'predict'] as const;

/**
 * The rate-limit buckets a key may override for itself (`keys create --limit scansCreate=600`):
 * those counted per credential. An app key's overrides apply to each installation it registers.
 * Connects and registrations per client address stay global: they bound anonymous traffic.
 */
export const OVERRIDABLE_LIMITS = [
  'itemsRead',
  'itemsWrite',
  'predict',
  'scansCreate',
  'scansRead',
  'installPerKey',
] as const;
export type LimitOverrides = Partial<Record<(typeof OVERRIDABLE_LIMITS)[number], number>>;

/** An API key, stored as its prefix and sha256 only (CredentialSecret). */
@Entity({ name: 'api_keys' })
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** Columns prefix, key_hash, created_at, revoked_at. */
  @Column(() => ApiKeySecret, { prefix: false })
  secret!: CredentialSecret;

  @Column({ type: 'text', array: true })
  scopes!: ApiKeyScope[];

  /** For an app key (scope `install`): the scopes each installation token it registers carries. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  grants!: ApiKeyScope[];

  /** Requests per window for this key instead of the configured defaults, per bucket. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  limits!: LimitOverrides;

  @Column(() => CredentialUsage, { prefix: false })
  usage!: CredentialUsage;
}
