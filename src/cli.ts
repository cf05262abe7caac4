import 'reflect-metadata';
import { Command } from 'commander';
import { loadConfig } from '#config';
import { registerDataCommands } from './commands/data.command.js';
import { registerDbCommands } from './commands/db.command.js';
import { registerInstallationCommands } from './commands/installations.command.js';
import { registerKeyCommands } from './commands/keys.command.js';
import { registerModelCommands } from './commands/model.command.js';
import { registerSynthCommand } from './commands/synth.command.js';

// Operator and setup entry point: `npm run cli -- <group> <command>`. Human messages go to stderr so
// that stdout carries only the result a script wants (for example the new API key).
const program = new Command('cli').description('Market Scanner operations').showHelpAfterError();
const config = () => loadConfig();
registerDbCommands(program, config);
registerDataCommands(program, config);
registerKeyCommands(program, config);
registerInstallationCommands(program, config);
registerModelCommands(program, config);
registerSynthCommand(program, config);

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
