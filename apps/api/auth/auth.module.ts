import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '#config';
import { CredentialUsageRepository } from '#database';
import { ApiKeyService } from './api-key.service.js';
import {
  CredentialUsageRecorder,
  USAGE_FLUSH_MS,
  USAGE_SINK,
} from './credential-usage.recorder.js';

@Module({
  providers: [
    ApiKeyService,
    CredentialUsageRecorder,
    {
      provide: USAGE_SINK,
      inject: [DataSource],
      useFactory: (dataSource: DataSource) => new CredentialUsageRepository(dataSource),
    },
    {
      provide: USAGE_FLUSH_MS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => config.auth.usageFlushSeconds * 1000,
    },
  ],
  exports: [ApiKeyService],
})
export class AuthModule {}
