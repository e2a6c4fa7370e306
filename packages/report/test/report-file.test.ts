import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPORT_VERSION, ReportFileError, readReportFile, writeReportJson } from '../src/index.ts';
import { FIXTURE_REPORT, FIXTURE_REPORT_V1 } from './report-fixture.ts';

const scratch = () => mkdtemp(join(tmpdir(), 'report-file-'));

/** Writes `text` as report.json in a fresh folder and returns the error reading it gives. */
const errorFor = async (text: string): Promise<{ file: string; error: unknown }> => {
  const dir = await scratch();
  const file = join(dir, 'report.json');
  await writeFile(file, text);
  return {
    file,
    error: await readReportFile(dir).then(
      () => undefined,
      (e: unknown) => e,
    ),
  };
};

describe('readReportFile', () => {
  it('reads the fixture from its folder or its path', async () => {
    const { report, file } = await readReportFile(FIXTURE_REPORT);
    expect(file).toBe(FIXTURE_REPORT);
    expect(report.runs).toHaveLength(36);
    expect(report.errors).toEqual([]);
    expect(report.version).toBe(REPORT_VERSION);
  });

  it('still reads format 1, and keeps what it did not record absent rather than made up', async () => {
    const { report } = await readReportFile(FIXTURE_REPORT_V1);
    expect(report.version).toBe(1);
    expect(report.runs).toHaveLength(24);
    const violation = report.runs[0]?.result.verdict.violations[0];
    expect(violation?.counts).toBeUndefined();
    expect(report.runs[0]?.timeline).toBeUndefined();
    expect(report.labs.every((lab) => lab.processLocal === undefined)).toBe(true);
    expect(report.environment.redlockNodes).toBeNull();
  });

  it('says which versions it reads when the file is of another', async () => {
    const fixture = JSON.parse(await readFile(FIXTURE_REPORT, 'utf8'));
    fixture.version = REPORT_VERSION + 1;
    const { file, error } = await errorFor(JSON.stringify(fixture));
    expect((error as Error).message).toBe(
      `${file}: written in report format version ${REPORT_VERSION + 1}; this lab reads versions 1 and ${REPORT_VERSION} (it comes from a newer lab: update this checkout)`,
    );
  });

  it('writes report.json that reads back the same, with arrays of values on one line', async () => {
    const { report } = await readReportFile(FIXTURE_REPORT);
    const dir = await scratch();
    const file = await writeReportJson(dir, report);
    const text = await readFile(file, 'utf8');
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(report)));
    expect(text).toMatch(/\n {8}"atMs": \[[\d.,]+\],\n/);
    expect((await readReportFile(dir)).report).toEqual(report);
  });

  it('names the file when it is missing', async () => {
    const dir = await scratch();
    const error = await readReportFile(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReportFileError);
    expect((error as Error).message).toBe(
      `${join(dir, 'report.json')}: no such file (a report folder holds the report.json that \`lab compare\` wrote)`,
    );
  });

  it('names the file and the parse error when it is not JSON', async () => {
    const { file, error } = await errorFor('{"format": "concurrency-lab/report", ');
    expect(error).toBeInstanceOf(ReportFileError);
    expect((error as Error).message).toMatch(new RegExp(`^${file}: not valid JSON \\(`));
  });

  it('says when the JSON is something else than a report', async () => {
    const { file, error } = await errorFor('{"lab": "naive"}');
    expect((error as Error).message).toBe(
      `${file}: not a comparison report (expected "format": "concurrency-lab/report", found no "format" field); report.json files are written by \`lab compare\``,
    );
  });

  it('names each wrongly shaped field with its path', async () => {
    const fixture = JSON.parse(await readFile(FIXTURE_REPORT, 'utf8'));
    fixture.runs[3].result.latencyMs.p99 = 'fast';
    delete fixture.runs[5].result.verdict;
    fixture.settings.repeat = 0;
    const { file, error } = await errorFor(JSON.stringify(fixture));
    const message = (error as Error).message;
    expect(message.startsWith(`${file}: not a valid comparison report:\n`)).toBe(true);
    expect(message).toContain('settings.repeat: Too small');
    expect(message).toContain(
      'runs[3].result.latencyMs.p99: Invalid input: expected number, received string',
    );
    expect(message).toContain('runs[5].result.verdict: Invalid input: expected object, received undefined');
  });
});
