import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type DeepPartial } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '#config';
import { WatchEntity, type WatchNotify } from '#database';
import type { Principal } from '../auth/api-key.service.js';
import { ProblemException } from '../http/problem.js';
import { normalizeWatchRequest } from './watch-request.js';
import {
  TOP_N_DEFAULT,
  WATCH_EVENTS,
  type CreateWatchDto,
  type UpdateWatchDto,
  type WatchDetailDto,
  type WatchDto,
  type WatchListDto,
  type WatchNotifyDto,
} from './watches.dto.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Watches belong to the installation whose token made the request. An API key (a server, or the
 * app key itself) has no phone to alert: it gets 403. Another installation's watch is a 404, as
 * an unknown id is, so ids never leak.
 */
export function installationOf(principal: Principal): string {
  if (!principal.installation)
    throw new ProblemException(
      403,
      'Watches belong to an installation of the app: call with an installation token (POST /v1/installations), not an API key',
    );
  return principal.keyId;
}

const notifyOf = (dto: WatchNotifyDto | undefined, previous?: WatchNotify): WatchNotify => ({
  topN: dto?.topN ?? previous?.topN ?? TOP_N_DEFAULT,
  on: dto?.on ?? previous?.on ?? [...WATCH_EVENTS],
});

const present = (w: WatchEntity): WatchDto => ({
  id: w.id,
  name: w.name,
  request: w.request as unknown as WatchDto['request'],
  notify: w.notify,
  lastDataVersion: w.lastDataVersion,
  lastEvaluatedAt: w.lastEvaluatedAt?.toISOString() ?? null,
  createdAt: w.createdAt.toISOString(),
  updatedAt: w.updatedAt.toISOString(),
});

@Injectable()
export class WatchesService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private readonly activeSectors = async (symbols: string[]) => {
    const rows = (await this.dataSource.query(
      'SELECT symbol, sector FROM items WHERE symbol = ANY($1::varchar[]) AND active',
      [symbols],
    )) as { symbol: string; sector: string }[];
    return new Map(rows.map((r) => [r.symbol, r.sector]));
  };

  async create(dto: CreateWatchDto, principal: Principal): Promise<WatchDetailDto> {
    const installationId = installationOf(principal);
    const { request, hash } = await normalizeWatchRequest(dto.request, this.activeSectors);
    const limit = this.config.watches.perInstallation;
    const saved = await this.dataSource.transaction(async (manager) => {
      // The installation's row lock serializes its creates: two at once cannot both pass the bound.
      await manager.query('SELECT id FROM installations WHERE id = $1 FOR UPDATE', [
        installationId,
      ]);
      const count = await manager.count(WatchEntity, { where: { installationId } });
      if (count >= limit)
        throw new ProblemException(
          409,
          `An installation may keep at most ${limit} watches; delete one first`,
        );
      return manager.save(
        manager.create(WatchEntity, {
          installationId,
          name: dto.name,
          request: request as unknown as Record<string, unknown>,
          requestHash: hash,
          notify: notifyOf(dto.notify),
          lastDataVersion: null,
          lastResult: null,
          lastEvaluatedAt: null,
        }),
      );
    });
    return this.get(saved.id, principal);
  }

  async list(principal: Principal): Promise<WatchListDto> {
    const installationId = installationOf(principal);
    const watches = await this.dataSource
      .getRepository(WatchEntity)
      .find({ where: { installationId }, order: { createdAt: 'ASC', id: 'ASC' } });
    return { data: watches.map(present), limit: this.config.watches.perInstallation };
  }

  async get(id: string, principal: Principal): Promise<WatchDetailDto> {
    const watch = await this.find(id, principal);
    return { ...present(watch), lastResult: watch.lastResult };
  }

  async update(id: string, dto: UpdateWatchDto, principal: Principal): Promise<WatchDetailDto> {
    const watch = await this.find(id, principal);
    const changes: DeepPartial<WatchEntity> = {};
    if (dto.name !== undefined) changes.name = dto.name;
    if (dto.notify !== undefined) changes.notify = notifyOf(dto.notify, watch.notify);
    if (dto.request !== undefined) {
      const { request, hash } = await normalizeWatchRequest(dto.request, this.activeSectors);
      if (hash !== watch.requestHash) {
        // Another scan: its first evaluation is a new baseline, not a flood of differences.
        Object.assign(changes, {
          request: request as unknown as Record<string, unknown>,
          requestHash: hash,
          lastDataVersion: null,
          lastResult: null,
          lastEvaluatedAt: null,
        });
      }
    }
    // save(), not update(): update's types refuse a jsonb column set to an object.
    if (Object.keys(changes).length > 0)
      await this.dataSource.getRepository(WatchEntity).save({ ...changes, id: watch.id });
    return this.get(id, principal);
  }

  async remove(id: string, principal: Principal): Promise<void> {
    const watch = await this.find(id, principal);
    await this.dataSource.getRepository(WatchEntity).delete({ id: watch.id });
  }

  private async find(id: string, principal: Principal): Promise<WatchEntity> {
    const installationId = installationOf(principal);
    const watch = UUID.test(id)
      ? await this.dataSource.getRepository(WatchEntity).findOneBy({ id, installationId })
      : null;
    if (!watch) throw new ProblemException(404, `No watch ${id} for this installation`);
    return watch;
  }
}
