// The fuses electron-builder.yml asks for, flipped for real: electron-builder packages a tiny app with
// our very config around a stand-in Electron "binary" that carries the fuse sentinel and wire the way
// Electron's does (@electron/fuses finds them by the sentinel, as in the real binary), starting from
// Electron's defaults; then the wire is read back with @electron/fuses. What is not exercised here: a
// real Electron honouring them (no binary can be downloaded on this machine).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
import { testTempDir } from '../helpers/temp-dir';

const REPO = join(import.meta.dirname, '..', '..');
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron's own defaults, in wire order: RunAsNode on, cookie encryption off, NODE_OPTIONS on, --inspect on, asar integrity off, asar-only off, browser V8 snapshot off, file:// privileges on. */
const STOCK_WIRE = '10110001';

describe('packaging with electron-builder.yml', () => {
  it('flips the fuses in the Electron binary', async () => {
    const tmp = testTempDir();
    const dist = join(tmp, 'electron-dist');
    mkdirSync(join(dist, 'locales'), { recursive: true });
    mkdirSync(join(dist, 'resources'));
    writeFileSync(join(dist, 'locales', 'en-US.pak'), '');
    writeFileSync(join(dist, 'electron'), Buffer.concat([Buffer.from('#!/bin/sh\n'), Buffer.from(SENTINEL), Buffer.from([1, STOCK_WIRE.length]), Buffer.from(STOCK_WIRE)]), { mode: 0o755 });
    const app = join(tmp, 'app');
    mkdirSync(join(app, 'out', 'main'), { recursive: true });
    writeFileSync(join(app, 'out', 'main', 'index.js'), '// the app itself is not what is tested here\n');
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'hearth', version: '0.0.0', main: 'out/main/index.js', description: 'test', author: 'test' }));
    cpSync(join(REPO, 'build'), join(app, 'build'), { recursive: true });
    execFileSync(
      process.execPath,
      [
        join(REPO, 'node_modules', 'electron-builder', 'cli.js'),
        '--config', join(REPO, 'electron-builder.yml'),
        '--projectDir', app,
        '--dir', '--linux',
        `-c.electronDist=${dist}`,
        '-c.electronVersion=45.4.1',
        `-c.directories.output=${join(tmp, 'release')}`,
      ],
      { cwd: app, stdio: 'pipe', timeout: 120_000 },
    );
    const wire = await getCurrentFuseWire(join(tmp, 'release', 'linux-unpacked', 'hearth-desktop'));
    // A fuse is the byte '1' (on) or '0' (off) in the wire.
    const state = (option: FuseV1Options) => ({ 49: 'on', 48: 'off' })[wire[option] as number] ?? String(wire[option]);
    expect({
      runAsNode: state(FuseV1Options.RunAsNode),
      enableCookieEncryption: state(FuseV1Options.EnableCookieEncryption),
      enableNodeOptionsEnvironmentVariable: state(FuseV1Options.EnableNodeOptionsEnvironmentVariable),
      enableNodeCliInspectArguments: state(FuseV1Options.EnableNodeCliInspectArguments),
      enableEmbeddedAsarIntegrityValidation: state(FuseV1Options.EnableEmbeddedAsarIntegrityValidation),
      onlyLoadAppFromAsar: state(FuseV1Options.OnlyLoadAppFromAsar),
      grantFileProtocolExtraPrivileges: state(FuseV1Options.GrantFileProtocolExtraPrivileges),
    }).toEqual({
      runAsNode: 'off',
      enableCookieEncryption: 'on',
      enableNodeOptionsEnvironmentVariable: 'off',
      enableNodeCliInspectArguments: 'off',
      enableEmbeddedAsarIntegrityValidation: 'on',
      onlyLoadAppFromAsar: 'on',
      grantFileProtocolExtraPrivileges: 'off',
    });
  }, 150_000);
});
