import { ApiProperty, ApiSchema } from '@nestjs/swagger';

@ApiSchema({ name: 'Health' })
export class HealthDto {
  @ApiProperty({ enum: ['ok', 'error'], enumName: 'HealthStatus' })
  status!: 'ok' | 'error';

  @ApiProperty({
    description: 'up/down per dependency (readiness only)',
    example: { database: 'up', redis: 'up' },
    type: 'object',
    additionalProperties: { type: 'string', enum: ['up', 'down'] },
  })
  checks!: Record<string, 'up' | 'down'>;
}
