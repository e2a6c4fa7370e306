import {
  DEFAULT_SCHEDULE,
  isTraceSceneName,
  parseSchedule,
  ScheduleError,
  TRACE_BLOCK_MS,
  TRACE_SCENE_NAMES,
  TRACE_SCENES,
  traceLab,
} from '@concurrency-lab/harness';
import { labNamed, labNames } from '@concurrency-lab/labs';
import { supportedScenarios, unsupportedReason } from '@concurrency-lab/model';
import { Command } from 'commander';
import { addLabOptionFlags, labOptionsFrom } from '../lab-options.ts';
import { traceResultJson } from '../render/trace-json.ts';
import { renderTraceTimeline } from '../render/trace-timeline.ts';
import { withServices } from '../service-lifetime.ts';
import { oneOf, positiveInteger, UsageError } from '../usage-error.ts';

interface TraceFlags {
  scenario: string;
  schedule: string;
  blockMs: number;
  json?: boolean;
  [option: string]: unknown;
}

/** `lab trace <lab>`: one scenario step, two clients, interleaved as the schedule says, step by step. */
export const traceCommand = (): Command => {
  const command = new Command('trace')
    .description(
      'walk two clients through one scenario step, interleaved as a schedule says, and show each step',
    )
    .argument('<lab>', `the lab: ${labNames().join(', ')}`)
    .option('--scenario <name>', `the scene: ${TRACE_SCENE_NAMES.join(', ')}`, 'withdraw-storm')
    .option(
      '--schedule <tokens>',
      'the interleaving: <client>:<action> tokens, client A or B, action lock, read, write or commit',
      DEFAULT_SCHEDULE,
    )
    .option(
      '--block-ms <n>',
      'how long a client let go may take to reach its step before it counts as blocked',
      positiveInteger('--block-ms', 60_000),
      TRACE_BLOCK_MS,
    )
    .option('--json', 'print the steps as one JSON object instead of the timeline');
  const flags = addLabOptionFlags(command);
  return command.action(async (labName: string, opts: TraceFlags) => {
    const lab = labNamed(labName);
    if (!lab) throw oneOf('lab', labName, labNames());
    if (!isTraceSceneName(opts.scenario)) throw oneOf('scenario', opts.scenario, TRACE_SCENE_NAMES);
    const scene = TRACE_SCENES[opts.scenario];
    let schedule: ReturnType<typeof parseSchedule>;
    try {
      schedule = parseSchedule(opts.schedule, scene.requests.length);
    } catch (error) {
      if (error instanceof ScheduleError) throw new UsageError(`--schedule: ${error.message}`);
      throw error;
    }
    const options = labOptionsFrom(lab, flags, opts);
    const why = unsupportedReason(lab, scene.scenario, options);
    if (why !== undefined) {
      throw new UsageError(
        `lab ${lab.name} cannot run scenario ${scene.scenario}: ${why}; it traces ${supportedScenarios(
          lab,
          options,
        )
          .filter(isTraceSceneName)
          .join(', ')}`,
      );
    }
    const result = await withServices(async (hub) => {
      const prepared = await hub.prepare(lab, { options });
      try {
        return await traceLab({ lab, context: prepared.context, scene, schedule, blockMs: opts.blockMs });
      } finally {
        await prepared.release();
      }
    });
    process.stdout.write(
      opts.json
        ? `${JSON.stringify(traceResultJson(result, options), null, 2)}\n`
        : `${renderTraceTimeline(result, lab.title)}\n`,
    );
  });
};
