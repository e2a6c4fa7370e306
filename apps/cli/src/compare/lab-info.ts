import type { Lab } from '@concurrency-lab/model';
import type { LabInfo } from '@concurrency-lab/report';

/** What the report keeps about a lab, so that it reads on its own later. */
export const labInfoOf = (lab: Lab): LabInfo => {
  const specs = Object.entries(lab.options ?? {});
  return {
    name: lab.name,
    title: lab.title,
    summary: lab.summary,
    needs: [...lab.needs],
    optionDefaults: Object.fromEntries(specs.map(([name, spec]) => [name, spec.default])),
    keyOptions: specs.filter(([, spec]) => spec.kind === 'choice').map(([name]) => name),
  };
};
