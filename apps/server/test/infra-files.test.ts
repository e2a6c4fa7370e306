import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { K6_ENV } from '@concurrency-lab/k6-scenarios/lib/env-vars.ts';
import { K6_SCENARIOS } from '@concurrency-lab/k6-scenarios/lib/plans.ts';
import { labNamed } from '@concurrency-lab/labs';
import { SCENARIO_NAMES } from '@concurrency-lab/model';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { SERVER_ENV } from '../src/server-config.ts';

// infra/ cannot run here (no container engine), so this test holds its files to what the code
// actually reads: every variable an infra file sets must be one the app or the k6 scripts read,
// every URL must name a service that exists on the port it listens on, and every scenario a file
// runs must be a k6 script. A renamed variable or a moved port fails here, not in a user's cluster.

const root = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** LAB_* names that appear in the sources of a folder: what the code reads (or documents as read). */
const variablesIn = (...folders: string[]): Set<string> => {
  const names = new Set<string>();
  for (const folder of folders) {
    for (const file of readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts')) continue;
      for (const match of read(join(folder, file)).matchAll(/\bLAB_[A-Z0-9_]+\b/g)) names.add(match[0]);
    }
  }
  return names;
};

// The replica reads its own settings, and the service packages read where the services are.
const APP_VARIABLES = variablesIn(
  'apps/server/src',
  'packages/services/src',
  'packages/postgres/src',
  'packages/redis/src',
);
// The k6 scripts read theirs through one function, env('LAB_…'), in run-config.ts.
const K6_VARIABLES = new Set(
  [...read('k6/lib/run-config.ts').matchAll(/env\('(LAB_[A-Z_]+)'\)/g)].map((m) => m[1] as string),
);
// Variables for the tools themselves, not for our code.
const K6_TOOL_VARIABLES = new Set(['K6_NO_USAGE_REPORT']);

const urlParts = (url: string) => {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port) };
};

type Env = Record<string, string>;

// The harness job runs the lab command; what it reads of the environment, it reads in apps/cli/src.
const CLI_VARIABLES = variablesIn('apps/cli/src');

/** `${NAME:-default}` (compose's interpolation) as its default; anything else as it is. */
const withDefault = (arg: string) => /^\$\{[A-Z_]+:-([^}]+)\}$/.exec(arg)?.[1] ?? arg;

/**
 * A harness job's command: `node <the CLI's entry> run <lab> --scenario <s> --http --target <urls>
 * --allow-remote`, each part real; returns the target URLs for the caller to match to its services.
 */
const harnessTargets = (command: readonly string[]): string[] => {
  const args = command.map(withDefault);
  expect(args.slice(0, 3)).toEqual(['node', 'apps/cli/src/bin.ts', 'run']);
  expect(existsSync(join(root, args[1] as string))).toBe(true);
  expect(labNamed(args[3] as string), args[3]).toBeDefined();
  expect(SCENARIO_NAMES).toContain(args[args.indexOf('--scenario') + 1]);
  expect(args).toContain('--http');
  // The servers are not on loopback where the job runs: without the opt-in the CLI refuses them.
  expect(args).toContain('--allow-remote');
  return (args[args.indexOf('--target') + 1] as string).split(',');
};

describe('the variables the code reads', () => {
  it('are the ones the server and the k6 scripts document', () => {
    for (const name of Object.keys(SERVER_ENV)) expect(APP_VARIABLES, name).toContain(name);
    expect([...K6_VARIABLES].sort()).toEqual(Object.keys(K6_ENV).sort());
  });
});

describe('infra/compose.yml', () => {
  const compose = parse(read('infra/compose.yml'), { merge: true }) as {
    services: Record<
      string,
      {
        image?: string;
        environment?: Env;
        ports?: string[];
        command?: string[];
        volumes?: string[];
        healthcheck?: { test: string[] };
        build?: { context: string; dockerfile: string };
      }
    >;
  };
  const services = compose.services;
  const apps = Object.keys(services).filter((name) => /^app-\d+$/.test(name));
  const redisPort = (name: string) => {
    const command = services[name]?.command ?? [];
    return Number(command[command.indexOf('--port') + 1]);
  };

  it('has Postgres, one Redis, five Redlock nodes, the app replicas and k6', () => {
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining([
        'postgres',
        'redis',
        'redlock-1',
        'redlock-5',
        'k6',
        'app-1',
        'app-2',
        'app-3',
      ]),
    );
    expect(Object.keys(services).filter((name) => name.startsWith('redlock-'))).toHaveLength(5);
    // Each service says what it is for.
    const text = read('infra/compose.yml');
    for (const name of ['postgres', 'redis', 'app-1', 'app-2', 'app-3', 'k6']) {
      expect(text, name).toMatch(new RegExp(`# [^\\n]+\\n(  # [^\\n]+\\n)*  ${name}:`));
    }
  });

  it('gives the app only variables it reads, pointing at services that exist on their ports', () => {
    const indexes: number[] = [];
    for (const name of apps) {
      const env = services[name]?.environment as Env;
      for (const variable of Object.keys(env))
        expect(APP_VARIABLES, `${name}: ${variable}`).toContain(variable);
      const port = Number(env.LAB_PORT);
      expect(services[name]?.ports, name).toEqual([
        expect.stringMatching(new RegExp(`^127\\.0\\.0\\.1:\\d+:${port}$`)),
      ]);
      expect(services[name]?.healthcheck?.test.join(' ')).toContain(`127.0.0.1:${port}/health`);
      expect(Number(env.LAB_REPLICAS)).toBe(apps.length);
      indexes.push(Number(env.LAB_REPLICA_INDEX));

      const database = urlParts(env.LAB_DATABASE_URL as string);
      expect(services[database.host], 'LAB_DATABASE_URL host').toBeDefined();
      expect(services.postgres?.ports).toEqual([`127.0.0.1:${database.port}:${database.port}`]);
      expect(new URL(env.LAB_DATABASE_URL as string).password).toBe(
        services.postgres?.environment?.POSTGRES_PASSWORD,
      );
      const redis = urlParts(env.LAB_REDIS_URL as string);
      expect(redisPort(redis.host), 'LAB_REDIS_URL').toBe(redis.port);
      const redlock = (env.LAB_REDLOCK_URLS as string).split(',').map(urlParts);
      expect(redlock.map((node) => node.host)).toEqual([1, 2, 3, 4, 5].map((i) => `redlock-${i}`));
      for (const node of redlock) expect(redisPort(node.host), node.host).toBe(node.port);
    }
    expect(indexes.sort()).toEqual(apps.map((_, i) => i));
    const build = services['app-1']?.build;
    expect(existsSync(join(root, 'infra', build?.context ?? '', build?.dockerfile ?? ''))).toBe(true);
  });

  it('runs k6 on a real scenario against every replica, with only the variables the scripts read', () => {
    const k6 = services.k6;
    const env = k6?.environment as Env;
    for (const variable of Object.keys(env)) {
      expect(K6_VARIABLES.has(variable) || K6_TOOL_VARIABLES.has(variable), variable).toBe(true);
    }
    const targets = (env.LAB_URLS as string).split(',').map(urlParts);
    expect(targets.map((t) => t.host)).toEqual(apps);
    for (const target of targets)
      expect(target.port).toBe(Number(services[target.host]?.environment?.LAB_PORT));
    const script = /^\/scripts\/(.+)\.ts$/.exec(k6?.command?.[1] ?? '')?.[1];
    expect(K6_SCENARIOS).toContain(script);
    expect(k6?.volumes).toContain('../k6:/scripts:ro');
    expect(env.LAB_RESULTS_DIR).toBe('/results');
    expect(k6?.volumes).toContain('../results/k6:/results');
  });

  it('runs the harness over HTTP (lab run --http --target) against every replica, from the app’s image', () => {
    const harness = services.harness as { image?: string; command?: string[]; environment?: Env };
    expect(harness.image).toBe(services['app-1']?.image);
    const targets = harnessTargets(harness.command ?? []).map(urlParts);
    expect(targets.map((t) => t.host)).toEqual(apps);
    for (const target of targets)
      expect(target.port).toBe(Number(services[target.host]?.environment?.LAB_PORT));
    for (const variable of Object.keys(harness.environment ?? {}))
      expect(CLI_VARIABLES, variable).toContain(variable);
    expect(harness.environment?.LAB_ADMIN_TOKEN).toBeDefined();
    expect(read('infra/compose.yml')).toMatch(/# [^\n]+\n( {2}# [^\n]+\n)* {2}harness:/);
  });

  it('builds an image whose port and entry point are the app’s', () => {
    const dockerfile = read('infra/app.Dockerfile');
    const port = /LAB_PORT=(\d+)/.exec(dockerfile)?.[1];
    expect(dockerfile).toContain(`EXPOSE ${port}`);
    expect(port).toBe(services['app-1']?.environment?.LAB_PORT);
    const entry = /CMD \["node", "([^"]+)"\]/.exec(dockerfile)?.[1] ?? '';
    expect(existsSync(join(root, entry)), entry).toBe(true);
    expect(dockerfile).toContain(`pnpm@${JSON.parse(read('package.json')).packageManager.split('@')[1]}`);
  });
});

describe('infra/k8s', () => {
  interface Manifest {
    kind: string;
    apiVersion: string;
    metadata: { name: string };
    spec: Record<string, unknown> & {
      replicas?: number;
      serviceName?: string;
      clusterIP?: string;
      ports?: Array<{ port: number; targetPort: number }>;
      template?: { spec: { containers: Container[] } };
    };
    stringData?: Env;
  }
  interface Container {
    ports?: Array<{ containerPort: number }>;
    env?: Array<{
      name: string;
      value?: string;
      valueFrom?: { secretKeyRef: { name: string; key: string } };
    }>;
    image?: string;
    command?: string[];
    readinessProbe?: { httpGet?: { port: number } };
    livenessProbe?: { httpGet?: { port: number } };
  }
  const folder = join(root, 'infra/k8s');
  const manifests: Manifest[] = readdirSync(folder)
    .filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml')
    .flatMap((file) => parseAllDocuments(read(join('infra/k8s', file))).map((doc) => doc.toJS() as Manifest));
  const find = (kind: string, name: string) => {
    const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
    if (!found) throw new Error(`no ${kind} ${name} in infra/k8s`);
    return found;
  };
  const container = (kind: string, name: string) =>
    find(kind, name).spec.template?.spec.containers[0] as Container;
  const envOf = (c: Container): Env => Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value ?? '']));
  const secret = find('Secret', 'lab-secrets');

  it('lists every manifest in the kustomization, and each says what it is for', () => {
    const kustomization = parse(read('infra/k8s/kustomization.yaml')) as { resources: string[] };
    for (const file of kustomization.resources) expect(existsSync(join(folder, file)), file).toBe(true);
    for (const file of readdirSync(folder).filter((f) => f.endsWith('.yaml'))) {
      expect(read(join('infra/k8s', file)).startsWith('# '), file).toBe(true);
    }
  });

  it('runs the app as a Deployment of 3 replicas behind a Service on the port it listens on', () => {
    const app = find('Deployment', 'app');
    expect(app.spec.replicas).toBe(3);
    const c = container('Deployment', 'app');
    const env = envOf(c);
    for (const name of Object.keys(env)) {
      expect(APP_VARIABLES.has(name) || name === 'POSTGRES_PASSWORD', name).toBe(true);
    }
    expect(Number(env.LAB_REPLICAS)).toBe(app.spec.replicas);
    const port = Number(env.LAB_PORT);
    expect(c.ports?.[0]?.containerPort).toBe(port);
    expect(c.readinessProbe?.httpGet?.port).toBe(port);
    expect(c.livenessProbe?.httpGet?.port).toBe(port);
    expect(find('Service', 'app').spec.ports?.[0]?.targetPort).toBe(port);
    for (const ref of (c.env ?? []).flatMap((e) => (e.valueFrom ? [e.valueFrom.secretKeyRef] : []))) {
      expect(ref.name).toBe('lab-secrets');
      expect(Object.keys(secret.stringData ?? {})).toContain(ref.key);
    }
  });

  it('points the app at Postgres, Redis and five independent Redlock nodes where they listen', () => {
    const env = envOf(container('Deployment', 'app'));
    const database = urlParts(env.LAB_DATABASE_URL?.replace('$(POSTGRES_PASSWORD)', 'x') as string);
    expect(find('Service', database.host).spec.ports?.[0]?.port).toBe(database.port);
    expect(container('Deployment', 'postgres').ports?.[0]?.containerPort).toBe(
      find('Service', 'postgres').spec.ports?.[0]?.targetPort,
    );
    const redis = urlParts(env.LAB_REDIS_URL as string);
    expect(find('Service', redis.host).spec.ports?.[0]?.port).toBe(redis.port);
    const redlock = find('StatefulSet', 'redlock');
    expect(redlock.spec.replicas).toBe(5);
    const headless = find('Service', redlock.spec.serviceName as string);
    expect(headless.spec.clusterIP).toBe('None');
    const nodes = (env.LAB_REDLOCK_URLS as string).split(',').map(urlParts);
    expect(nodes.map((n) => n.host)).toEqual(
      [0, 1, 2, 3, 4].map((i) => `redlock-${i}.${headless.metadata.name}`),
    );
    for (const node of nodes) expect(node.port).toBe(headless.spec.ports?.[0]?.port);
  });

  it('has a k6-operator TestRun on a real scenario with only the variables the scripts read', () => {
    const run = manifests.find((m) => m.kind === 'TestRun');
    expect(run?.apiVersion).toBe('k6.io/v1alpha1');
    const spec = run?.spec as {
      parallelism: number;
      script: { configMap: { file: string } };
      runner: { env: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef: { key: string } } }> };
    };
    expect(spec.parallelism).toBeGreaterThan(1);
    expect(K6_SCENARIOS).toContain(spec.script.configMap.file.replace(/\.(tar|ts)$/, ''));
    const env = Object.fromEntries(spec.runner.env.map((e) => [e.name, e.value ?? '']));
    for (const name of Object.keys(env))
      expect(K6_VARIABLES.has(name) || K6_TOOL_VARIABLES.has(name), name).toBe(true);
    // Each runner sees a share of the requests, and the pods sit behind one URL.
    expect(env).toMatchObject({ LAB_EXACT_COUNTS: '0', LAB_CHECK_HISTORY: 'ledger', LAB_ALLOW_REMOTE: '1' });
    const target = urlParts(env.LAB_URLS as string);
    expect(find('Service', target.host).spec.ports?.[0]?.port).toBe(target.port);
    for (const e of spec.runner.env)
      if (e.valueFrom) expect(Object.keys(secret.stringData ?? {})).toContain(e.valueFrom.secretKeyRef.key);
  });
});

describe('infra/k8s/harness-job.yaml', () => {
  it('is a Job running the harness over HTTP against the app Service, from the app’s image', () => {
    const manifests = parseAllDocuments(read('infra/k8s/harness-job.yaml')).map(
      (doc) =>
        doc.toJS() as {
          kind: string;
          apiVersion: string;
          spec: {
            template: {
              spec: {
                restartPolicy: string;
                containers: Array<{
                  image: string;
                  command: string[];
                  env?: Array<{ name: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }>;
                }>;
              };
            };
          };
        },
    );
    const job = manifests.find((m) => m.kind === 'Job');
    expect(job?.apiVersion).toBe('batch/v1');
    const pod = job?.spec.template.spec;
    expect(pod?.restartPolicy).toBe('Never');
    const c = pod?.containers[0];
    const app = parseAllDocuments(read('infra/k8s/app.yaml'))
      .map(
        (doc) =>
          doc.toJS() as {
            kind: string;
            metadata: { name: string };
            spec: {
              template?: { spec: { containers: Array<{ image: string }> } };
              ports?: Array<{ port: number }>;
            };
          },
      )
      .filter((m) => m.metadata.name === 'app');
    const deployment = app.find((m) => m.kind === 'Deployment');
    const service = app.find((m) => m.kind === 'Service');
    expect(c?.image).toBe(deployment?.spec.template?.spec.containers[0]?.image);
    const [target, ...others] = harnessTargets(c?.command ?? []).map(urlParts);
    expect(others).toEqual([]);
    expect(target).toEqual({ host: 'app', port: service?.spec.ports?.[0]?.port });
    for (const e of c?.env ?? []) {
      expect(CLI_VARIABLES, e.name).toContain(e.name);
      expect(e.valueFrom?.secretKeyRef.name).toBe('lab-secrets');
    }
  });
});

describe('the k6 image', () => {
  it('is Grafana’s official grafana/k6, on one tag in compose and the TestRun, as infra/README.md says', () => {
    const compose = parse(read('infra/compose.yml'), { merge: true }) as {
      services: Record<string, { image?: string }>;
    };
    const testRun = parseAllDocuments(read('infra/k8s/k6-testrun.yaml'))
      .map((doc) => doc.toJS() as { kind: string; spec: { runner: { image: string } } })
      .find((manifest) => manifest.kind === 'TestRun');
    const image = compose.services.k6?.image;
    // The project builds no k6 image of its own (k6 is AGPL): only Grafana's, with a pinned tag.
    expect(image).toMatch(/^grafana\/k6:\d+\.\d+\.\d+$/);
    expect(testRun?.spec.runner.image).toBe(image);
    expect(read('infra/README.md')).toContain(`Grafana's official image, \`${image}\``);
  });
});
