// How a subcommand describes itself to the dispatcher in ../main.ts.
import type { ParseArgsConfig } from 'node:util';
import type { CliContext } from '../io';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;
export type OptionValues = Record<string, string | boolean | undefined>;

export interface CommandSpec {
  summary: string;
  /** Synopsis after "hearth ", e.g. "logs [-f FILE] [SERVICE] [-n N] [--follow]". */
  usage: string;
  /** Extra help lines (options, notes). */
  help?: string[];
  options?: OptionSpec;
  /** How many positionals are accepted (default 0). */
  positionals?: {
    min?: number;
    max?: number;
    name?: string;
    /** The words the first positional can be (completed by the shell); service names follow it. */
    first?: readonly string[];
  };
  run(ctx: CliContext, values: OptionValues, positionals: string[]): Promise<number>;
}
