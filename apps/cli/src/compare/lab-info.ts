import type { Lab } from '@concurrency-lab/model';
import type { LabInfo } from '@concurrency-lab/report';

/** What the report keeps about a lab, so that it reads on its own later; `varied`: options this comparison ran at several values. */
export const labInfoOf = (lab: Lab, varied: readonly string[] = []): LabInfo => {
  const specs = Object.entries(lab.options ?? {});
  return {
    name: lab.name,
    title: lab.title,
    summary: lab.summary,
    needs: [...lab.needs],
    optionDefaults: Object.fromEntries(specs.map(([name, spec]) => [name, spec.default])),
    keyOptions: specs.filter(([, spec]) => spec.kind === 'choice').map(([name]) => name),
    variedOptions: [...varied],
    processLocal: lab.processLocal === true,
  };
};
