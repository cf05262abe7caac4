import { Column, CreateDateColumn } from 'typeorm';

/**
 * How a credential (an API key or an installation token) is stored: never the secret, only the
 * prefix shown in listings and logs, the secret's sha256 (a secret is 256 random bits, so a fast
 * hash is enough: no dictionary to defend against, and authentication stays cheap), when it was
 * issued and when it was revoked. Embedded with `prefix: false`, so the columns keep the names
 * the migrations gave them.
 */
export interface CredentialSecret {
  /** The first characters of the secret, shown in listings so an operator can tell them apart. */
  prefix: string;
  hash: string;
  createdAt: Date;
  revokedAt: Date | null;
}

/**
 * The embedded class for one table. Made per table because the hash column is named after what it
 * hashes (`key_hash`, `token_hash`) in the migrations, and an embedded class fixes its column names.
 */
function credentialSecretColumns(hashColumn: 'key_hash' | 'token_hash') {
  class Columns implements CredentialSecret {
    @Column({ type: 'varchar', length: 16, unique: true })
    prefix!: string;

    @Column({ name: hashColumn, type: 'char', length: 64, unique: true })
    hash!: string;

    @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
    createdAt!: Date;

    @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
    revokedAt!: Date | null;
  }
  return Columns;
}

export const ApiKeySecret = credentialSecretColumns('key_hash');
export const InstallationSecret = credentialSecretColumns('token_hash');
