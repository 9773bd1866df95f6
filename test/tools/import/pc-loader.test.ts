// The pieces of process-compose's loader the import repeats: Go templates, mergo-style extends
// merging, watch patterns, and Go durations.
import { describe, expect, it } from 'vitest';
import { Notes } from '../../../electron/tools/notes';
import { mergeConfig, resolveProcessExtends } from '../../../electron/tools/import/pc-extends';
import { renderPcTemplate, unescapeDollars } from '../../../electron/tools/import/pc-template';
import { goDurationMs, mapWatch } from '../../../electron/tools/import/pc-watch';

describe('renderPcTemplate', () => {
  const vars = { NAME: 'api', EMPTY: '', ON: true, OFF: false, N: 3 };
  const render = (t: string): { out: string; notes: string[] } => {
    const notes = new Notes();
    return { out: renderPcTemplate(t, vars, 'w', notes), notes: notes.list.map((n) => n.message) };
  };

  it('renders fields, literals, or, trim markers, and the replica index as {{thermos.instance}}', () => {
    expect(render('{{.NAME}}-{{ .N }} {{or .EMPTY "dflt"}} [ {{- .NAME -}} ] {{ "{{.Raw}}" }} {{.PC_REPLICA_NUM}}').out).toBe('api-3 dflt [api] {{.Raw}} {{thermos.instance}}');
  });

  it('evaluates if / else / end over and, or, not, nested', () => {
    expect(render('{{if and .ON .OFF}}both{{else}}not both{{end}}').out).toBe('not both');
    expect(render('{{if or .OFF .ON}}{{if not .OFF}}yes{{end}}{{end}}!').out).toBe('yes!');
    expect(render('{{if .EMPTY}}x{{end}}y').out).toBe('y');
  });

  it('keeps and reports what it does not evaluate, and a missing var becomes $NAME', () => {
    const r = render('{{range .N}}x{{end}} {{or .PC_REPLICA_NUM 5}} {{.MISSING}}');
    expect(r.out).toBe('{{range .N}}x{{end}} {{or .PC_REPLICA_NUM 5}} $MISSING');
    expect(r.notes).toEqual([
      '{{range .N}}: Go template logic is not evaluated by the import; kept as written, which Hearth will refuse until it is edited',
      '{{end}}: Go template logic is not evaluated by the import; kept as written, which Hearth will refuse until it is edited',
      '{{or .PC_REPLICA_NUM 5}}: Go template logic is not evaluated by the import; kept as written, which Hearth will refuse until it is edited',
      '{{.MISSING}} has no value in vars; written as $MISSING (read from the environment)',
    ]);
  });

  it('unescapes $$ everywhere in a document', () => {
    expect(unescapeDollars({ a: ['$$HOME', { b: 'x$$$$y' }], n: 1 })).toEqual({ a: ['$HOME', { b: 'x$$y' }], n: 1 });
  });
});

describe('extends merging (mergo WithOverride, WithAppendSlice)', () => {
  it('set values win, zero values do not, nested maps merge, env merges by name, lists append', () => {
    const base = { command: 'a', disabled: true, availability: { restart: 'always', max_restarts: 3 }, environment: ['A=1', 'B=2'], args: ['x'], namespace: ['n1'] };
    const child = { command: 'b', disabled: false, availability: { max_restarts: 5 }, environment: ['B=3', 'C=4'], args: ['y'], namespace: ['n2'] };
    expect(mergeConfig(base, child)).toEqual({
      command: 'b',
      disabled: true, // false is Go's zero value: mergo keeps the base's
      availability: { restart: 'always', max_restarts: 5 },
      environment: ['A=1', 'B=3', 'C=4'],
      args: ['x', 'y'],
      namespace: ['n2'],
    });
  });

  it('resolves chains, and reports unknown and circular bases instead of failing', () => {
    const notes = new Notes();
    const out = resolveProcessExtends({ a: { command: 'a', vars: { X: 1 } }, b: { extends: 'a', vars: { Y: 2 } }, c: { extends: 'b' }, d: { extends: 'ghost' }, e: { extends: 'f' }, f: { extends: 'e', command: 'f' } }, notes);
    expect(out.c).toEqual({ command: 'a', vars: { X: 1, Y: 2 } });
    expect(out.d).toEqual({});
    expect(notes.list.map((n) => `${n.where}: ${n.message}`)).toEqual(['d.extends: no process "ghost" to extend, ignored', 'f.extends: circular extends through "e", ignored']);
    expect(out.e).toEqual({ command: 'f' });
  });
});

describe('watch', () => {
  it('turns include / exclude patterns into globs under each path, and the debounce into ms', () => {
    const notes = new Notes();
    const watch = mapWatch({ paths: [{ path: 'src', include: ['*.go', 'cmd/main.go'], exclude: ['*_test.go'] }, { path: '.' }], debounce: '1.5s', max_entries: 10 }, 'w.watch', notes);
    expect(watch).toEqual({ paths: ['src/**/*.go', 'src/cmd/main.go', '.'], ignore: ['src/**/*_test.go'], debounce_ms: 1500 });
    expect(notes.list).toEqual([]);
    expect([goDurationMs('300ms'), goDurationMs('1m30s'), goDurationMs('soon')]).toEqual([300, 90_000, undefined]);
  });
});
