import { requestsToday, type CredentialUsage } from '#database';

/**
 * The usage columns of `keys list` and `installations list`. The api writes them at most once a
 * minute per credential, so they trail the traffic by up to a minute.
 */
export const usageColumns = (usage: CredentialUsage): string[] => [
  `last used ${usage.lastUsedAt ? usage.lastUsedAt.toISOString() : 'never'}`,
  `today ${requestsToday(usage)}`,
];
