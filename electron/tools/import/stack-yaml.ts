// Writes an imported (or starter) stack as a commented hearth.yaml. The model is the stack FILE
// shape (only what an importer sets), not the resolved StackConfig: defaults stay implicit so the
// written file reads like one a person would write.
import { Document, isMap, isPair, isScalar, type Node, type YAMLMap } from 'yaml';
import type { DependencyCondition, StopSignal } from '../../supervisor/config/types';

export interface ImportedHealthCheck {
  http?: { port: string; endpoint: string; expected_response: string | null; expected_response_code: number };
  tcp?: { port: string };
  shell?: { shell_command: string };
  initial_interval_secs?: number;
  interval_secs?: number;
  max_consecutive_failures?: number;
  min_consecutive_successes?: number;
  timeout_secs?: number;
}

export interface ImportedWatch {
  paths: string[];
  ignore?: string[];
  debounce_ms?: number;
}

/** An env file as the stack file writes it: a path relative to the stack file. */
export interface ImportedEnvFile {
  path: string;
  required: boolean;
}

export interface ImportedService {
  /** Comment lines written above the service's key. */
  comment?: string[];
  cmd: string;
  replicas?: number;
  cwd?: string;
  env_file?: ImportedEnvFile[];
  env?: Record<string, string>;
  ports?: Record<string, number | null>;
  depends_on?: Record<string, DependencyCondition>;
  health_check?: ImportedHealthCheck;
  lifecycle?: { stop_signal?: StopSignal; shutdown_wait_secs?: number };
  watch?: ImportedWatch;
  autostart?: boolean;
  service?: boolean;
  max_failures?: number;
}

export interface ImportedStack {
  name?: string;
  /** Comment lines at the top of the file, after the schema line. */
  header: string[];
  env_file?: ImportedEnvFile[];
  services: Record<string, ImportedService>;
}

function serviceData(svc: ImportedService): Record<string, unknown> {
  const out: Record<string, unknown> = { cmd: svc.cmd };
  if (svc.replicas !== undefined) out.replicas = svc.replicas;
  if (svc.cwd !== undefined) out.cwd = svc.cwd;
  if (svc.env_file?.length) out.env_file = svc.env_file;
  if (svc.env && Object.keys(svc.env).length > 0) out.env = svc.env;
  if (svc.ports && Object.keys(svc.ports).length > 0) out.ports = svc.ports;
  if (svc.depends_on && Object.keys(svc.depends_on).length > 0) {
    out.depends_on = Object.fromEntries(Object.entries(svc.depends_on).map(([k, c]) => [k, { condition: c }]));
  }
  if (svc.health_check) out.health_check = svc.health_check;
  if (svc.lifecycle && Object.keys(svc.lifecycle).length > 0) out.lifecycle = svc.lifecycle;
  if (svc.watch) out.watch = svc.watch;
  if (svc.autostart !== undefined) out.autostart = svc.autostart;
  if (svc.service !== undefined) out.service = svc.service;
  if (svc.max_failures !== undefined) out.max_failures = svc.max_failures;
  return out;
}

const commentLines = (lines: string[]): string => lines.map((l) => (l === '' ? '' : ` ${l}`)).join('\n');

function pairOf(map: YAMLMap, key: string): { key: Node; value: Node } | undefined {
  for (const item of map.items) {
    if (isPair(item) && isScalar(item.key) && item.key.value === key) return item as { key: Node; value: Node };
  }
  return undefined;
}

/** The YAML text: schema line, header comments, then the stack with per-service comments. */
export function renderStackYaml(stack: ImportedStack, schemaRef: string): string {
  const data: Record<string, unknown> = {};
  if (stack.name !== undefined) data.name = stack.name;
  if (stack.env_file?.length) data.env_file = stack.env_file;
  data.services = Object.fromEntries(Object.entries(stack.services).map(([name, svc]) => [name, serviceData(svc)]));
  const doc = new Document(data, { aliasDuplicateObjects: false });
  doc.commentBefore = commentLines([`yaml-language-server: $schema=${schemaRef}`, ...stack.header]);
  const services = doc.get('services', true);
  if (isMap(services)) {
    let first = true;
    for (const [name, svc] of Object.entries(stack.services)) {
      const pair = pairOf(services, name);
      if (!pair) continue;
      // A blank line between services keeps a long file readable.
      if (!first) pair.key.spaceBefore = true;
      first = false;
      if (svc.comment?.length) pair.key.commentBefore = commentLines(svc.comment);
    }
  }
  return doc.toString({ lineWidth: 0 });
}
