// Header summary: counts per badge word and an overall verdict.
import type { ServiceStatus } from '../../../shared/types';
import type { Tone } from './badge';
import { deriveBadge } from './badge';

export interface Summary {
  total: number;
  verdict: string;
  tone: Tone;
  parts: Array<{ text: string; tone: Tone }>;
}

const ORDER = ['failed', 'unhealthy', 'restarting', 'starting', 'stopping', 'snoozed', 'pending', 'healthy', 'running', 'finished', 'stopped'];

export function summarize(services: readonly ServiceStatus[], now: number): Summary {
  const counts = new Map<string, { n: number; tone: Tone }>();
  for (const s of services) {
    const b = deriveBadge(s, now);
    const word = b.text.startsWith('restarting') ? 'restarting' : b.text;
    const c = counts.get(word);
    if (c) c.n++;
    else counts.set(word, { n: 1, tone: b.tone });
  }
  const parts = [...counts.entries()]
    .sort((a, b) => ORDER.indexOf(a[0]) - ORDER.indexOf(b[0]))
    .map(([word, c]) => ({ text: `${c.n} ${word}`, tone: c.tone }));
  const bad = (counts.get('failed')?.n ?? 0) + (counts.get('unhealthy')?.n ?? 0) + (counts.get('restarting')?.n ?? 0);
  const busy = (counts.get('starting')?.n ?? 0) + (counts.get('stopping')?.n ?? 0) + (counts.get('pending')?.n ?? 0);
  let verdict: string;
  let tone: Tone;
  if (services.length === 0) {
    verdict = 'No services';
    tone = 'muted';
  } else if (bad > 0) {
    verdict = `${bad} need${bad === 1 ? 's' : ''} attention`;
    tone = 'err';
  } else if (busy > 0) {
    verdict = 'Starting up';
    tone = 'progress';
  } else if (counts.has('snoozed')) {
    verdict = 'Healthy (some snoozed)';
    tone = 'snooze';
  } else {
    verdict = 'All good';
    tone = 'ok';
  }
  return { total: services.length, verdict, tone, parts };
}
