import { describe, expect, it } from 'vitest';
import { useTempDir } from '../history/testing/temp-dir.ts';
import { createInputsView, inputsStructure } from './inputs-view.ts';
import { SyntheticHistory, withReader } from './testing/synthetic-history.ts';

const tempDir = useTempDir();

/**
 * Objects of mixed key orders and types, and values that are not objects; no structure holds
 * "JSON", so the structure comes from one value per shape.
 */
const VALUES = [
  '{"a":1,"b":"x"}', '{"b":"y","a":2}', '{"a":-1}', '{"a":1.5,"c":{"d":true}}', '{"a":18446744073709551615}',
  '{"c":{"d":null,"e":[1,2]}}', '{"c":{"e":["x"]}}', '{"c":{"e":[]}}', '{"f":[{"g":1}]}', '{"f":[{"g":"h","i":[]}]}',
  ' {"a":1} ', '{"a":1,}', '{"a":NaN}', '{"h":null}', '{"h":"now a string"}', '{"k":[null]}', '{"k":[[1]]}',
  '[1,2]', '"text"', 'null', '42', '{"a":1} trailing', '{"a": /* c */ 1}', '', 'not json', '{"m":"\\u00e9"}',
];
/** Shapes that print "JSON" (an empty object, clashing types, a duplicate key): every value is merged then. */
const CLASHING = ['{}', '{"a":{}}', '{"a":{"b":1}}', '{"a":1,"a":"dup"}', '{"f":[{"g":1},2]}', '{"l":[1,"x"]}', '{"l":[true]}'];

async function judged(values: readonly string[]) {
  const h = new SyntheticHistory();
  values.forEach((v, i) => h.input(h.send({ eventId: `e${i}`, value: Buffer.from(v) })));
  return withReader(await h.write(tempDir()), async (r) => {
    await createInputsView(r);
    // The former derivation: three parses per value and json_group_structure over every one.
    const old = `sp_truth <> 'poison' AND sp_value IS NOT NULL AND json_valid(sp_value) AND json_type(json(sp_value)) = 'OBJECT'`;
    const [expected] = await r.query<{ s: string | null; ids: string[] }>(
      `SELECT json_group_structure(json(sp_value))::VARCHAR AS s, list(sp_event_id ORDER BY sp_event_id) AS ids FROM all_inputs WHERE ${old}`);
    const [parsed] = await r.query<{ ids: string[]; clash: boolean }>(
      `SELECT list(sp_event_id ORDER BY sp_event_id) AS ids, bool_or(contains(json_structure(sp_value)::VARCHAR, '"JSON"')) AS clash FROM parsed_inputs`);
    return { structure: await inputsStructure(r), expected: JSON.parse(expected!.s!) as unknown, oldIds: expected!.ids, ids: parsed!.ids, clash: parsed!.clash };
  });
}

describe('inputs view', () => {
  it('parses the same values as JSON objects as json_valid + json_type did', async () => {
    const { ids, oldIds } = await judged(VALUES);
    expect(ids).toEqual(oldIds);
    expect(ids.length).toBeGreaterThan(10);
    expect(ids).not.toContain('e17'); // an array
  });

  it('derives the same structure from one value per distinct shape as json_group_structure over all', async () => {
    const { structure, expected, clash } = await judged(VALUES);
    expect(clash).toBe(false);
    expect(structure).toEqual(expected);
    // merging happened: a string after a null, types that clash across values, nested arrays
    expect(structure).toMatchObject({ h: 'VARCHAR', a: 'DOUBLE', c: { e: ['JSON'] }, k: [['UBIGINT']] });
  });

  it('merges every value when a shape holds "JSON", with the same result', async () => {
    for (const values of [[...VALUES, ...CLASHING], [...CLASHING, ...VALUES].reverse()]) {
      const { structure, expected, ids, oldIds, clash } = await judged(values);
      expect(structure).toEqual(expected);
      expect(ids).toEqual(oldIds);
      expect(clash).toBe(true);
    }
  });

  it('gives the same structure whichever shape comes first', async () => {
    const { structure, expected } = await judged([...VALUES].reverse());
    expect(structure).toEqual(expected);
  });

  it('counts a position read twice as one copy, and the same event at two positions as two', async () => {
    const h = new SyntheticHistory();
    const once = h.send({ eventId: 'once' });
    h.input(once);
    h.input(once); // the final scan read the record twice
    const resent = h.send({ eventId: 'resent' });
    h.input(resent);
    h.input(h.send({ eventId: 'resent', truth: 'duplicate' }));
    const copies = await withReader(await h.write(tempDir()), async (r) => {
      await createInputsView(r);
      return r.query<{ id: string; n: number }>('SELECT sp_event_id AS id, sp_copies::INTEGER AS n FROM all_inputs ORDER BY id');
    });
    expect(copies).toEqual([{ id: 'once', n: 1 }, { id: 'resent', n: 2 }]);
  });

  it('keeps every event in all_inputs and none in parsed_inputs when no input is a JSON object', async () => {
    const h = new SyntheticHistory();
    ['not json', '[1]', '42'].forEach((v, i) => h.input(h.send({ eventId: `n${i}`, value: Buffer.from(v) })));
    const counts = await withReader(await h.write(tempDir()), async (r) => {
      const all = await createInputsView(r);
      const [row] = await r.query<{ parsed: number; inputs: number }>('SELECT (SELECT count(*) FROM parsed_inputs)::INTEGER AS parsed, (SELECT count(*) FROM inputs)::INTEGER AS inputs');
      return { all, ...row };
    });
    expect(counts).toEqual({ all: 3, parsed: 0, inputs: 0 });
  });
});
