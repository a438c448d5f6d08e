import type { Command } from 'commander';

/** `tessera import …` commands. */
export function registerImportCommands(cli: Command): void {
  cli.command('import').description('Import data from files');
}
