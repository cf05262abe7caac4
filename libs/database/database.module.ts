import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '#config';
import { dataSourceOptions } from './data-source.js';
import { DataVersions } from './data-versions.repository.js';

/**
 * The Nest side of the one data source. Never migrates: that is `npm run cli -- db migrate`.
 * Global like TypeORM's DataSource, so every feature reads the data version from one DataVersions.
 */
@Module({})
export class DatabaseModule {
  /** `applicationName` shows in pg_stat_activity, so an operator sees which app holds connections. */
  static forRoot(applicationName: string): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      providers: [DataVersions],
      exports: [DataVersions],
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            ...dataSourceOptions(config, applicationName),
            // At start-up wait for the database for a while (it may still be booting), then give up.
            retryAttempts: 10,
            retryDelay: 1000,
          }),
        }),
      ],
    };
  }
}
