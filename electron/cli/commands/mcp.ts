// `hearth mcp`: a Model Context Protocol server on stdin/stdout for an agent (Claude Code, Cursor…), over the
// running stack's control socket. Spawned by the user, as the user: it listens on nothing, so it is no new
// way in for anyone else. Its stdout carries the protocol alone; what it has to say goes to stderr.
//
// The MCP SDK (with its own zod 3, ajv and more) loads only when this command runs: imported at the top,
// it loaded into every `hearth` command, `hearth up` included (6 MB more private memory all day).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_ROOT } from '../../host/app-root';
import { connectInstance } from '../instance';
import type { CommandSpec } from './types';

export const mcpCommand: CommandSpec = {
  summary: 'a Model Context Protocol server on stdio for agents (status, logs, health history, capture, wait…)',
  usage: 'mcp [-f FILE]',
  help: [
    '  Add it to an agent as a stdio server, e.g. `claude mcp add hearth -- hearth mcp -f /path/to/hearth.yaml`.',
    '  Tools: status, logs (with search), health_history, start, stop, restart, snooze, unsnooze, capture_tools,',
    '  capture, captures, wait_healthy. It talks to the running stack over its owner-only control socket.',
  ],
  run: async (ctx) => {
    const [{ StdioServerTransport }, { createMcpServer }, { controlLink }] = await Promise.all([
      import('@modelcontextprotocol/sdk/server/stdio.js'),
      import('../../mcp/server'),
      import('../../mcp/link'),
    ]);
    const client = await connectInstance(ctx);
    const version = (JSON.parse(readFileSync(join(APP_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    const server = createMcpServer(controlLink(client, () => connectInstance(ctx)), version);
    const transport = new StdioServerTransport();
    const ended = new Promise<number>((resolve) => {
      transport.onclose = () => resolve(0);
      process.stdin.once('end', () => resolve(0));
      void client.closed.then(() => {
        ctx.io.err.write('hearth mcp: the hearth instance went away\n');
        resolve(1);
      });
    });
    await server.connect(transport);
    ctx.io.err.write(`hearth mcp: serving ${client.info.file} (pid ${client.info.pid}) on stdio\n`);
    const code = await ended;
    await server.close().catch(() => undefined);
    client.close();
    return code;
  },
};
