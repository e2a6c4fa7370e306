import type { Lab, ResolvedLabOptions } from '@concurrency-lab/model';
import type { FaultContext, FaultTarget } from './fault-context.ts';
import type { Nemesis } from './nemesis.ts';

/** The argument a fault takes after its name (`--fault name:arg`). */
export interface FaultArgument {
  /** How help writes it, e.g. `<k>`. */
  readonly placeholder: string;
  /** Whether `--fault name` alone is accepted. */
  readonly optional: boolean;
  /** What is accepted, said in full for error messages (e.g. "an integer from 1 to 5"). */
  readonly accepted: string;
  /** Why `text` is not accepted for `lab`, or undefined when it is. */
  check(text: string, lab: Lab): string | undefined;
}

/** One kind of fault: what `lab faults` prints about it, where it applies, and how it acts. */
export interface FaultDefinition {
  readonly name: string;
  readonly argument?: FaultArgument;
  /** One paragraph: what it does, which labs it concerns, what to expect. */
  readonly description: string;
  /** What it acts on, if anything outside the harness: the run must have started it. */
  readonly target?: FaultTarget;
  /**
   * It acts inside the lab's operations (at their race window), which only a run in this process
   * reaches: over HTTP the operations run in the replicas.
   */
  readonly inProcess?: boolean;
  /** Why it does not apply to `lab` with these options (a service it does not use), or undefined. */
  notApplicable(lab: Lab, options: ResolvedLabOptions): string | undefined;
  /** The nemesis for one run; `arg` has passed `argument.check`. */
  nemesis(arg: string | undefined, context: FaultContext): Nemesis;
}

/** A fault as `--fault` named it, checked against its definition and the lab. */
export interface FaultRequest {
  readonly definition: FaultDefinition;
  readonly arg?: string;
}

/** `--fault` was given something not accepted: the message says what was wrong and what is. */
export class FaultSpecError extends Error {
  override readonly name = 'FaultSpecError';
  /** What was wrong: a name not in the catalog, an argument not accepted, or a fault the lab has no use for. */
  readonly problem: 'unknown' | 'argument' | 'not-applicable';
  constructor(problem: FaultSpecError['problem'], message: string) {
    super(message);
    this.problem = problem;
  }
}

/** How a fault is written on the command line, e.g. `kill-redis-nodes:<k>` or `pause-holder[:<ms>]`. */
export const faultUsage = ({ name, argument }: FaultDefinition): string =>
  argument === undefined
    ? name
    : argument.optional
      ? `${name}[:${argument.placeholder}]`
      : `${name}:${argument.placeholder}`;

/**
 * Parses each `--fault <name>[:<arg>]` against `faults` (the catalog) for `lab`: an unknown name, an
 * argument not accepted, a missing or unexpected one, or a fault that does not apply to the lab is
 * a FaultSpecError naming what is accepted.
 */
export const parseFaults = (
  given: readonly string[],
  faults: readonly FaultDefinition[],
  lab: Lab,
  options: ResolvedLabOptions,
): FaultRequest[] =>
  given.map((text) => {
    const colon = text.indexOf(':');
    const name = colon < 0 ? text : text.slice(0, colon);
    const arg = colon < 0 ? undefined : text.slice(colon + 1);
    const definition = faults.find((fault) => fault.name === name);
    if (!definition) {
      throw new FaultSpecError(
        'unknown',
        `unknown fault ${JSON.stringify(name)}; valid faults: ${faults.map(faultUsage).join(', ')}`,
      );
    }
    const usage = faultUsage(definition);
    const { argument } = definition;
    if (arg === undefined && argument && !argument.optional)
      throw new FaultSpecError(
        'argument',
        `fault ${name} needs an argument: ${usage}, ${argument.placeholder} ${argument.accepted}`,
      );
    if (arg !== undefined && !argument)
      throw new FaultSpecError(
        'argument',
        `fault ${name} takes no argument (got ${JSON.stringify(arg)}); write --fault ${name}`,
      );
    const bad = arg !== undefined && argument ? argument.check(arg, lab) : undefined;
    if (bad !== undefined && argument)
      throw new FaultSpecError(
        'argument',
        `fault ${name}: ${JSON.stringify(arg)} is not accepted (${bad}); ${usage}, ${argument.placeholder} ${argument.accepted}`,
      );
    const why = definition.notApplicable(lab, options);
    if (why !== undefined) {
      const applicable = faults.filter((fault) => fault.notApplicable(lab, options) === undefined);
      throw new FaultSpecError(
        'not-applicable',
        `fault ${name} does not apply to lab ${lab.name}: ${why}; faults for ${lab.name}: ${applicable.map(faultUsage).join(', ') || 'none'}`,
      );
    }
    return { definition, ...(arg === undefined ? {} : { arg }) };
  });

/** The nemeses of a run's faults, in the order given. */
export const faultNemeses = (requests: readonly FaultRequest[], context: FaultContext): Nemesis[] =>
  requests.map(({ definition, arg }) => definition.nemesis(arg, context));
