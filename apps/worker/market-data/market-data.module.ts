import { Module } from '@nestjs/common';
import { MarketDataQueueModule, WatchesQueueModule } from '#jobs';
import { MarketDataProcessor } from './market-data.processor.js';
import { RefreshBarsScheduler } from './refresh-bars.scheduler.js';

/**
 * Live market data in the worker: consumes the market-data queue and, when POLYGON_API_KEY is set,
 * keeps the after-close refresh schedule in Redis. Needs APP_CONFIG (ConfigModule), the TypeORM
 * DataSource (DatabaseModule.forRoot) and JobsModule.forRoot('consumer') from the app; exports nothing.
 */
@Module({
  imports: [MarketDataQueueModule, WatchesQueueModule],
  providers: [MarketDataProcessor, RefreshBarsScheduler],
})
export class MarketDataModule {}
