import { Module } from '@nestjs/common';
import { BarsController } from './bars.controller.js';
import { BarsRepository } from './bars.repository.js';
import { BarsService } from './bars.service.js';

/** GET /v1/items/{symbol}/bars: price history for charts. */
@Module({
  controllers: [BarsController],
  providers: [BarsService, BarsRepository],
  exports: [BarsService],
})
export class BarsModule {}
