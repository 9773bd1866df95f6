import { describe, expect, it } from 'vitest';
import { conditionMet, firstUnmet, stopLevels, withDependencies, withDependents } from '../../electron/supervisor/dependencies';

const graph = { migrate: [], db: [], api: ['db', 'migrate'], web: ['api'], worker: ['api'] };

describe('dependency conditions', () => {
  it('healthy needs RUNNING; started accepts STARTING; completed needs FINISHED', () => {
    expect(conditionMet('healthy', { state: 'STARTING', health: 'unknown' })).toBe(false);
    expect(conditionMet('healthy', { state: 'RUNNING', health: 'healthy' })).toBe(true);
    expect(conditionMet('started', { state: 'STARTING', health: 'unknown' })).toBe(true);
    expect(conditionMet('started', { state: 'PENDING', health: 'none' })).toBe(false);
    expect(conditionMet('completed', { state: 'RUNNING', health: 'none' })).toBe(false);
    expect(conditionMet('completed', { state: 'FINISHED', health: 'none' })).toBe(true);
    expect(conditionMet('healthy', undefined)).toBe(false);
  });

  it('names the first unmet dependency', () => {
    const views = { db: { state: 'RUNNING' as const, health: 'healthy' as const }, migrate: { state: 'FAILED' as const, health: 'none' as const } };
    expect(firstUnmet({ db: 'healthy', migrate: 'completed' }, views)).toEqual({ name: 'migrate', condition: 'completed' });
    expect(firstUnmet({ db: 'healthy' }, views)).toBeNull();
  });
});

describe('ordering', () => {
  it('pulls in dependencies, deps first', () => {
    const order = withDependencies(['web'], graph);
    expect(order.indexOf('db')).toBeLessThan(order.indexOf('api'));
    expect(order.indexOf('migrate')).toBeLessThan(order.indexOf('api'));
    expect(order.indexOf('api')).toBeLessThan(order.indexOf('web'));
    expect(order).not.toContain('worker');
  });

  it('finds dependents transitively', () => {
    expect(withDependents(['db'], graph).sort()).toEqual(['api', 'db', 'web', 'worker']);
  });

  it('stops dependents before their dependencies', () => {
    const levels = stopLevels(Object.keys(graph), graph);
    const levelOf = (n: string) => levels.findIndex((l) => l.includes(n));
    expect(levelOf('web')).toBeLessThan(levelOf('api'));
    expect(levelOf('worker')).toBeLessThan(levelOf('api'));
    expect(levelOf('api')).toBeLessThan(levelOf('db'));
    expect(levels.flat().sort()).toEqual(Object.keys(graph).sort());
  });
});
