// The contract's boundary rule for commands only the owner-only control socket may carry.
import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES, CONTROL_SOCKET_ONLY, parseCommand } from '../../shared/contract';

describe('parseCommand and CONTROL_SOCKET_ONLY', () => {
  it('holds web_login alone: the one command that hands out a way into the web UI', () => {
    expect([...CONTROL_SOCKET_ONLY]).toEqual(['web_login']);
    for (const name of CONTROL_SOCKET_ONLY) expect(COMMAND_NAMES).toContain(name);
  });

  it('refuses it unless the caller says it is the control socket, and validates it there like any command', () => {
    expect(() => parseCommand('web_login', {})).toThrow('web_login: only the control socket carries this command (run `hearth open` in a terminal)');
    expect(() => parseCommand('web_login', {}, { controlSocket: false })).toThrow(/only the control socket/);
    expect(parseCommand('web_login', {}, { controlSocket: true })).toEqual({ command: 'web_login', args: {} });
    expect(parseCommand('web_login', undefined, { controlSocket: true }).args).toEqual({});
    expect(parseCommand('web_login', { page: true }, { controlSocket: true }).args).toEqual({ page: true });
    expect(() => parseCommand('web_login', { page: 1 }, { controlSocket: true })).toThrow(/^web_login: page: /);
    expect(() => parseCommand('web_login', { code: 'x' }, { controlSocket: true })).toThrow(/^web_login: /);
  });

  it('leaves every other command to every boundary', () => {
    for (const name of COMMAND_NAMES.filter((n) => !CONTROL_SOCKET_ONLY.has(n))) {
      let message = '';
      try {
        parseCommand(name, {});
      } catch (error) {
        message = (error as Error).message; // some need arguments; none may be refused for the boundary
      }
      expect(message, name).not.toMatch(/only the control socket/);
    }
  });
});
