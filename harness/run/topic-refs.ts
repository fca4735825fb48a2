/**
 * Scenarios name topics by role, not by a pipeline's names: a fault attribute
 * `topic: '$input'` is the SUT's first input topic, `'$input[1]'` its second, `'$output'` /
 * `'$output[i]'` its declared outputs in order, `'$records'`, `'$aggregate'`, `'$dlq'`,
 * `'$late'`, `'$bronze'` its first output with that role. A literal name must be one of the
 * SUT's topics; anything else fails the run at its start (CONFIG_INVALID, exit 64) instead of
 * mid-run with "This server does not host this topic-partition".
 */
import { HarnessError } from '../errors.ts';
import { OUTPUT_ROLES, type SutConfig } from '../sut/sut-config.ts';
import type { Scenario, ScheduledFault } from '../../scenarios/index.ts';

const REF = /^\$([a-z]+)(?:\[(\d+)\])?$/;

/** Every topic name of a SUT description, inputs first, then outputs in declared order. */
export function describedTopics(sut: SutConfig): string[] {
  return [...sut.topics.input.map((t) => t.name), ...sut.topics.outputs.map((o) => o.name)];
}

/** The SUT topic (as described, without the run's prefix) that `value` names; `path` is for the error. */
export function resolveTopicRef(value: string, sut: SutConfig, path: string): string {
  const fail = (why: string): never => {
    throw new HarnessError('CONFIG_INVALID', `${path}: ${why} (SUT '${sut.name}' has ${describeTopics(sut)}; write '$input', '$input[i]', '$output', '$output[i]' or '$<role>' with role one of ${OUTPUT_ROLES.join(', ')})`);
  };
  if (!value.startsWith('$')) {
    if (!describedTopics(sut).includes(value)) fail(`topic '${value}' is not one of the SUT's topics`);
    return value;
  }
  const match = REF.exec(value);
  if (!match) return fail(`'${value}' is not a topic reference`);
  const [, name, indexText] = match as unknown as [string, string, string | undefined];
  const index = indexText === undefined ? 0 : Number(indexText);
  if (name === 'input') {
    const topic = sut.topics.input[index];
    if (!topic) fail(`'${value}': the SUT has ${sut.topics.input.length} input topic(s)`);
    return topic!.name;
  }
  if (name === 'output') {
    const topic = sut.topics.outputs[index];
    if (!topic) fail(`'${value}': the SUT declares ${sut.topics.outputs.length} output topic(s)`);
    return topic!.name;
  }
  if ((OUTPUT_ROLES as readonly string[]).includes(name)) {
    const withRole = sut.topics.outputs.filter((o) => o.role === name);
    if (!withRole[index]) fail(`'${value}': the SUT declares ${withRole.length} output(s) with role '${name}'`);
    return withRole[index]!.name;
  }
  return fail(`'${value}' names no role`);
}

/** Fault attributes with `topic` resolved to the SUT's described topic name; other attributes as they are. */
export function resolveFaultTopics(attrs: Record<string, unknown>, sut: SutConfig, path = 'attrs'): Record<string, unknown> {
  if (typeof attrs.topic !== 'string') return attrs;
  return { ...attrs, topic: resolveTopicRef(attrs.topic, sut, `${path}.topic`) };
}

/**
 * Checks every topic a scenario's faults name against the SUT, before anything starts: the
 * hand-written time line, and the attributes of a fault mix (whatever types the seed draws).
 */
export function checkScenarioTopics(scenario: Pick<Scenario, 'faults' | 'faultMix' | 'source'>, sut: SutConfig, timeline: readonly ScheduledFault[] = scenario.faults): void {
  for (const fault of timeline) resolveFaultTopics(fault.attrs, sut, `${scenario.source}: ${fault.origin}.attrs`);
  for (const [type, attrs] of Object.entries(scenario.faultMix?.attrs ?? {})) resolveFaultTopics(attrs, sut, `${scenario.source}: faultMix.attrs['${type}']`);
}

function describeTopics(sut: SutConfig): string {
  const inputs = sut.topics.input.map((t) => t.name).join(', ');
  const outputs = sut.topics.outputs.map((o) => `${o.name} (${o.role})`).join(', ');
  return `input ${inputs || 'none'}${outputs ? `, outputs ${outputs}` : ''}`;
}
