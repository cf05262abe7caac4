import { Module } from '@nestjs/common';
import { TradingCalendarModule } from '../calendar/trading-calendar.module.js';
import { ItemsModule } from '../items/items.module.js';
import { AnalysisController } from './analysis.controller.js';
import { AnalysisRepository } from './analysis.repository.js';
import { AnalysisService } from './analysis.service.js';

/** GET /v1/items/{symbol}/analysis. */
@Module({
  imports: [ItemsModule, TradingCalendarModule],
  controllers: [AnalysisController],
  providers: [AnalysisService, AnalysisRepository],
})
export class AnalysisModule {}
