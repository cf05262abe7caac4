import { Module } from '@nestjs/common';
import { RateLimitStorageModule } from '../rate-limit/rate-limit-storage.module.js';
import { MetaController } from './meta.controller.js';
import { MetaRepository } from './meta.repository.js';
import { MetaService } from './meta.service.js';

/** GET /v1/meta: what a client shows around the scan (settings screen, sector picker, limits). */
@Module({
  imports: [RateLimitStorageModule],
  controllers: [MetaController],
  providers: [MetaService, MetaRepository],
  exports: [MetaService],
})
export class MetaModule {}
