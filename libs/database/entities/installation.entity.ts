import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { ApiKeyEntity, type ApiKeyScope } from './api-key.entity.js';
import { CredentialUsage } from './credential-usage.js';

/**
 * One installation of the app: a token of its own, registered with the app key (scope `install`)
 * the app ships. Stored like a key (sha256 of a 256-bit secret). It works only while both it and
 * its app key are active, so revoking the app key retires every installation it registered.
 */
@Entity({ name: 'installations' })
@Index('installations_app_key_idx', ['appKeyId', 'createdAt'])
export class InstallationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'app_key_id', type: 'uuid' })
  appKeyId!: string;

  @ManyToOne(() => ApiKeyEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'app_key_id', foreignKeyConstraintName: 'installations_app_key_fk' })
  appKey?: ApiKeyEntity;

  /** The first characters of the token, shown in listings and logs, never the secret. */
  @Column({ type: 'varchar', length: 16, unique: true })
  prefix!: string;

  @Column({ name: 'token_hash', type: 'char', length: 64, unique: true })
  tokenHash!: string;

  /** The app key's grants at registration time. */
  @Column({ type: 'text', array: true })
  scopes!: ApiKeyScope[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column(() => CredentialUsage, { prefix: false })
  usage!: CredentialUsage;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
