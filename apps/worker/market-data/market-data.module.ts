import { Module } from '@nestjs/common';
import { MarketDataProcessor } from './market-data.processor.js';

/**
 * Live market data in the worker: consumes the market-data queue and, when POLYGON_API_KEY is set,
 * keeps the after-close refresh schedule in Redis. Needs APP_CONFIG (ConfigModule) and the TypeORM
 * DataSource (DatabaseModule.forRoot) from the app; exports nothing.
 */
@Module({ providers: [MarketDataProcessor] })
export class MarketDataModule {}
