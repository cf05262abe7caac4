import { CreateCoreTables1795400000000 } from './1795400000000-CreateCoreTables.js';
import { CreateScanTables1795410000000 } from './1795410000000-CreateScanTables.js';
import { AddScanHistoryIndexes1795420000000 } from './1795420000000-AddScanHistoryIndexes.js';
import { CreateInstallations1796591403704 } from './1796591403704-CreateInstallations.js';
import { AddCredentialLimitsAndUsage1796600000000 } from './1796600000000-AddCredentialLimitsAndUsage.js';
import { AddScanViewersIndex1796600000001 } from './1796600000001-AddScanViewersIndex.js';
import { CreateWatchesAndAlerts1796700000000 } from './1796700000000-CreateWatchesAndAlerts.js';
import { AddInstallationPushTokens1796700000001 } from './1796700000001-AddInstallationPushTokens.js';
import { AddScanRunEnqueueFunction1796800000000 } from './1796800000000-AddScanRunEnqueueFunction.js';

/** Every migration, oldest first. Listed explicitly: ESM has no reliable glob import. */
export const migrations = [
  CreateCoreTables1795400000000,
  CreateScanTables1795410000000,
  AddScanHistoryIndexes1795420000000,
  CreateInstallations1796591403704,
  AddCredentialLimitsAndUsage1796600000000,
  AddScanViewersIndex1796600000001,
  CreateWatchesAndAlerts1796700000000,
  AddInstallationPushTokens1796700000001,
  AddScanRunEnqueueFunction1796800000000,
];
