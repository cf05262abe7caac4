import { Module } from '@nestjs/common';
import { TradingCalendar } from './trading-calendar.service.js';

/** The data's trading days, for resolving `asOf` (scans and analyses). */
@Module({
  providers: [TradingCalendar],
  exports: [TradingCalendar],
})
export class TradingCalendarModule {}
