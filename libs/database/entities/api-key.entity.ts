import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
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

/**
 * An API key. Only the sha256 of the key is stored: keys are 256-bit random strings, so a fast
 * hash is enough (no dictionary to defend against) and lets authentication stay cheap.
 */
@Entity({ name: 'api_keys' })
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** The first characters of the key, shown in listings so an operator can tell keys apart. */
  @Column({ type: 'varchar', length: 16, unique: true })
  prefix!: string;

  @Column({ name: 'key_hash', type: 'char', length: 64, unique: true })
  keyHash!: string;

  @Column({ type: 'text', array: true })
  scopes!: ApiKeyScope[];

  /** For an app key (scope `install`): the scopes each installation token it registers carries. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  grants!: ApiKeyScope[];

  /** Requests per window for this key instead of the configured defaults, per bucket. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  limits!: LimitOverrides;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column(() => CredentialUsage, { prefix: false })
  usage!: CredentialUsage;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
