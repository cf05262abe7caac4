import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '#config';
import { InstallationRepository } from '#database';
import { spendRateLimit } from '../rate-limit/rate-limit.budget.js';
import { RateLimitStorageModule } from '../rate-limit/rate-limit-storage.module.js';
import { RedisThrottlerStorage } from '../rate-limit/redis-throttler.storage.js';
import { InstallationsController } from './installations.controller.js';
import { InstallationsService } from './installations.service.js';
import { PushRegistrationService } from './push-registration.service.js';

/**
 * POST /v1/installations: a credential per installation of the app (DESIGN §9); PUT/DELETE
 * /v1/installations/me/push: its APNs device token (issue 17).
 */
@Module({
  imports: [RateLimitStorageModule],
  controllers: [InstallationsController],
  providers: [
    {
      provide: InstallationsService,
      inject: [DataSource, APP_CONFIG, RedisThrottlerStorage],
      useFactory: (dataSource: DataSource, config: AppConfig, limits: RedisThrottlerStorage) =>
        new InstallationsService(new InstallationRepository(dataSource), (ip) =>
          spendRateLimit(limits, config, 'installPerIp', `ip:${ip}`),
        ),
    },
    {
      provide: PushRegistrationService,
      inject: [DataSource],
      useFactory: (dataSource: DataSource) =>
        new PushRegistrationService(new InstallationRepository(dataSource)),
    },
  ],
})
export class InstallationsModule {}
