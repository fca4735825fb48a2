import { describe, expect, it } from 'vitest';
import { useTempDir } from '../history/testing/temp-dir.ts';
import { EVENT_ID } from './history-sql.ts';
import { createInputsView, inputsStructure } from './inputs-view.ts';
import { jsonStructureOf } from './json-structure.ts';
import { leavesByExtraction, leavesOf, pairsSql } from './output-pairs.ts';
import { SyntheticHistory, withReader } from './testing/synthetic-history.ts';

const tempDir = useTempDir();

/** Input and output values of every kind of leaf: nested objects, arrays, nulls, numbers written two ways, a field only one side has. */
const PAIRS: [string, string][] = [
  ['{"a":1,"b":{"c":"x","d":[1,{"e":2}]},"f":null}', '{"a":1.0,"b":{"c":"x","d":[1,{"e":2}]},"g":true}'],
  ['{"a":2,"b":{"c":null},"h":"é"}', '{"a":"2","b":null,"h":"\\u00e9"}'],
  ['{"a":3,"b":{},"i":[]}', '{"a":3,"b":{"c":"y"},"i":[null],"j":{"k":{"l":-1}}}'],
  ['{"a":4,"n":1e2}', '{"m":"not in the input","n":100}'],
];

async function leaves(pairs: readonly [string, string][]) {
  const h = new SyntheticHistory();
  pairs.forEach(([input, output], i) => {
    const send = h.send({ eventId: `e${i}`, value: Buffer.from(input) });
    h.input(send);
    h.observe('records', { topic: 'out', headers: { 'sp-event-id': send.eventId }, value: Buffer.from(output) });
  });
  return withReader(await h.write(tempDir()), async (r) => {
    await createInputsView(r);
    await r.query(pairsSql(EVENT_ID, 'out', 'records'));
    const rows = (table: string) => r.query<Record<string, unknown>>(`SELECT rid, path, type, value::VARCHAR AS value FROM ${table} ORDER BY ALL`);
    const out: Record<string, { extracted: boolean; fast: unknown[]; walked: unknown[] }> = {};
    const outStructure = await jsonStructureOf(r, 'out_txt', 'fid_pairs');
    for (const [column, structure] of [['in_txt', await inputsStructure(r)], ['out_txt', JSON.parse(outStructure!)]] as const) {
      const extracted = await leavesByExtraction(r, 'fast', column, structure);
      await r.query(`CREATE OR REPLACE TEMP TABLE walked AS ${leavesOf(column)}`);
      out[column] = { extracted, fast: extracted ? await rows('fast') : [], walked: await rows('walked') };
    }
    return out;
  });
}

describe('output pairs: leaves', () => {
  it('extracts the same leaves from the structure as json_tree walks', async () => {
    const sides = await leaves(PAIRS);
    for (const side of Object.values(sides)) {
      expect(side.extracted).toBe(true);
      expect(side.fast).toEqual(side.walked);
      expect(side.walked.length).toBeGreaterThan(8);
    }
    expect(sides.out_txt!.walked).toContainEqual({ rid: 3, path: 'j.k.l', type: 'BIGINT', value: '-1' });
  });

  it('leaves it to json_tree when a structure cannot stand for the walk', async () => {
    // an object where another value has a string ("JSON" in the structure), and a key with a dot
    const clash = await leaves([...PAIRS, ['{"a":5,"b":"flat"}', '{"a":5}']]);
    expect(clash.in_txt!.extracted).toBe(false);
    expect(clash.out_txt!.extracted).toBe(true);
    const dotted = await leaves([...PAIRS, ['{"a":6}', '{"a":6,"x.y":1}']]);
    expect(dotted.out_txt!.extracted).toBe(false);
  });
});
