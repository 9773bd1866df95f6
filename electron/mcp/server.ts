// The MCP server over a HearthLink: every tool of tools.ts, its result as JSON text. The transport (stdio) is
// the caller's: `hearth mcp` (commands/mcp.ts) is spawned by the user's agent and reaches the stack only
// through the owner-only control socket, as the CLI does, so it opens no new way in.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { TOOLS, type HearthLink } from './tools';

export function createMcpServer(link: HearthLink, version: string): McpServer {
  const server = new McpServer({ name: 'hearth', version });
  for (const tool of TOOLS) {
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, inputSchema: tool.input, annotations: { readOnlyHint: tool.readOnly, openWorldHint: false } },
      async (args: Record<string, unknown>): Promise<CallToolResult> => {
        try {
          const result = await tool.run(link, args);
          return { content: [{ type: 'text', text: JSON.stringify(result, null, 2) }] };
        } catch (error) {
          return { isError: true, content: [{ type: 'text', text: error instanceof Error ? error.message : String(error) }] };
        }
      },
    );
  }
  return server;
}
