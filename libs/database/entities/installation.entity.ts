import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ApiKeyEntity, type ApiKeyScope } from './api-key.entity.js';
import { InstallationSecret, type CredentialSecret } from './credential-secret.js';
import { CredentialUsage } from './credential-usage.js';

/**
 * One installation of the app: a token of its own, registered with the app key (scope `install`)
 * the app ships. Stored like a key (CredentialSecret). It works only while both it and
 * its app key are active, so revoking the app key retires every installation it registered.
 */
@Entity({ name: 'installations' })
@Index('installations_app_key_idx', ['appKeyId', 'secret.createdAt'])
export class InstallationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'app_key_id', type: 'uuid' })
  appKeyId!: string;

  @ManyToOne(() => ApiKeyEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'app_key_id', foreignKeyConstraintName: 'installations_app_key_fk' })
  appKey?: ApiKeyEntity;

  /** Columns prefix, token_hash, created_at, revoked_at. */
  @Column(() => InstallationSecret, { prefix: false })
  secret!: CredentialSecret;

  /** The app key's grants at registration time. */
  @Column({ type: 'text', array: true })
  scopes!: ApiKeyScope[];

  @Column(() => CredentialUsage, { prefix: false })
  usage!: CredentialUsage;

  /**
   * The APNs device token of the phone (hex), registered with PUT /v1/installations/me/push; null
   * when none is, or after APNs answered that it is no longer valid (410 Unregistered).
   */
  @Column({ name: 'apns_token', type: 'varchar', length: 200, nullable: true })
  apnsToken!: string | null;

  /** Which APNs the token belongs to: a debug build's token works only with the sandbox. */
  @Column({ name: 'apns_environment', type: 'varchar', length: 10, nullable: true })
  apnsEnvironment!: ApnsEnvironment | null;

  @Column({ name: 'apns_token_updated_at', type: 'timestamptz', nullable: true })
  apnsTokenUpdatedAt!: Date | null;
}

export const APNS_ENVIRONMENTS = ['sandbox', 'production'] as const;
export type ApnsEnvironment = (typeof APNS_ENVIRONMENTS)[number];
