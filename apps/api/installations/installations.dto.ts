import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { GRANTABLE_SCOPES, type ApiKeyScope } from '#database';

/** A registered installation: the token is in this answer only, never again. */
@ApiSchema({ name: 'Installation' })
export class InstallationDto {
  @ApiProperty({ format: 'uuid', example: 'f3b5c2de-9a41-4c7e-8d0b-2a6f1e9c4b71' })
  installationId!: string;

  @ApiProperty({
    description:
      'The installation’s credential, sent like an API key (X-API-Key or Authorization: Bearer). ' +
      'Shown once: keep it in the Keychain.',
    example: 'msi_Q7fK2pXa_7mS4cX1QpZ3vRk9tLwYb2NfHd6EoJu8GaCiTy0lMe5',
  })
  token!: string;

  @ApiProperty({
    description: 'What the token may do: the scopes the app key grants',
    enum: [...GRANTABLE_SCOPES],
    enumName: 'GrantedScope',
    isArray: true,
    example: ['read', 'scan', 'predict'],
  })
  scopes!: ApiKeyScope[];
}
