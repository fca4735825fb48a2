import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HarnessError } from '../errors.ts';
import { RegistryClient } from './registry-client.ts';

/** Canned answers keyed by `METHOD path`; the answer shapes are the ones Apicurio 3.0.9 gave. */
type Canned = [status: number, body: unknown] | 'hang';

describe('RegistryClient against a canned local HTTP server', () => {
  let server: Server;
  let base: string;
  let answers: Record<string, Canned>;
  let seen: { key: string; body: unknown; contentType?: string }[];

  beforeAll(async () => {
    server = createServer(async (req: IncomingMessage, res) => {
      let raw = '';
      for await (const chunk of req) raw += chunk;
      const key = `${req.method} ${req.url}`;
      seen.push({ key, body: raw ? JSON.parse(raw) : undefined, contentType: req.headers['content-type'] });
      const answer = answers[key] ?? [404, { detail: 'RESTEASY003210: Could not find resource', status: 404 }];
      if (answer === 'hang') return; // never answers: the client's timeout must fire
      res.writeHead(answer[0], { 'content-type': 'application/json' }).end(JSON.stringify(answer[1]));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  beforeEach(() => {
    answers = {};
    seen = [];
  });

  const failure = async (p: Promise<unknown>): Promise<HarnessError> => {
    const error = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HarnessError);
    return error as HarnessError;
  };

  it('registers a schema with its type and returns the id', async () => {
    answers['POST /apis/ccompat/v7/subjects/orders-value/versions'] = [200, { id: 7 }];
    expect(await new RegistryClient(`${base}/apis/ccompat/v7/`).register('orders-value', '{"type":"string"}', 'AVRO')).toBe(7);
    expect(seen[0]).toMatchObject({ body: { schema: '{"type":"string"}', schemaType: 'AVRO' }, contentType: 'application/json' });
  });

  it('turns a rejected registration (409) into CONFIG_INVALID with the registry message, without the Java class', async () => {
    answers['POST /apis/ccompat/v7/subjects/orders-value/versions'] = [
      409,
      { message: 'io.apicurio.registry.rules.RuleViolationException: Incompatible artifact: orders-value [AVRO], num of incompatible diffs: {1}', error_code: 409 },
    ];
    const error = await failure(new RegistryClient(base).register('orders-value', '{}', 'AVRO'));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.retriable).toBe(false);
    expect(error.message).toBe('schema registry: POST /apis/ccompat/v7/subjects/orders-value/versions: 409 Incompatible artifact: orders-value [AVRO], num of incompatible diffs: {1}');
  });

  it('names an unknown schema id', async () => {
    answers['GET /apis/ccompat/v7/schemas/ids/42'] = [404, { message: "No content with ID '42' was found.", error_code: 40403 }];
    const error = await failure(new RegistryClient(base).schemaById(42));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('unknown schema id 42');
  });

  it('reads a schema by id, Avro when the type is left out (Confluent)', async () => {
    answers['GET /apis/ccompat/v7/schemas/ids/1'] = [200, { schema: '{"type":"object"}', schemaType: 'JSON', references: [] }];
    answers['GET /apis/ccompat/v7/schemas/ids/2'] = [200, { schema: '"string"' }];
    const client = new RegistryClient(base);
    expect(await client.schemaById(1)).toEqual({ schema: '{"type":"object"}', schemaType: 'JSON' });
    expect(await client.schemaById(2)).toEqual({ schema: '"string"', schemaType: 'AVRO' });
  });

  it('makes a 5xx, a refused connection and a timeout CLUSTER_UNREACHABLE and retriable', async () => {
    answers['PUT /apis/ccompat/v7/config/orders-value'] = [500, { message: 'boom', error_code: 50001 }];
    answers['GET /apis/ccompat/v7/subjects/slow/versions'] = 'hang';
    const e500 = await failure(new RegistryClient(base).setCompatibility('orders-value', 'BACKWARD'));
    expect([e500.code, e500.retriable]).toEqual(['CLUSTER_UNREACHABLE', true]);
    expect(e500.message).toContain('500 boom');

    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const refused = await failure(new RegistryClient(`http://127.0.0.1:${port}`).subjectVersions('x'));
    expect([refused.code, refused.retriable]).toEqual(['CLUSTER_UNREACHABLE', true]);
    expect(refused.message).toContain('ECONNREFUSED');

    const slow = await failure(new RegistryClient(base).subjectVersions('slow', { timeoutMs: 200 }));
    expect([slow.code, slow.retriable]).toEqual(['CLUSTER_UNREACHABLE', true]);
    expect(slow.message).toContain('no answer within 200 ms');
  });

  it('sets and reads a compatibility level (Apicurio answers compatibilityLevel to both)', async () => {
    answers['PUT /apis/ccompat/v7/config/orders-value'] = [200, { compatibilityLevel: 'BACKWARD' }];
    answers['GET /apis/ccompat/v7/config/orders-value?defaultToGlobal=true'] = [200, { compatibilityLevel: 'BACKWARD' }];
    const client = new RegistryClient(base);
    await client.setCompatibility('orders-value', 'BACKWARD');
    expect(seen[0]!.body).toEqual({ compatibility: 'BACKWARD' });
    expect(await client.compatibility('orders-value')).toBe('BACKWARD');
  });

  it('lists versions, none for an unknown subject (40401), but a wrong path is still an error', async () => {
    answers['GET /apis/ccompat/v7/subjects/orders-value/versions'] = [200, [1, 2]];
    answers['GET /apis/ccompat/v7/subjects/new-value/versions'] = [404, { message: "No artifact with ID 'new-value' in group 'null' was found.", error_code: 40401 }];
    const client = new RegistryClient(base);
    expect(await client.subjectVersions('orders-value')).toEqual([1, 2]);
    expect(await client.subjectVersions('new-value')).toEqual([]);
    expect((await failure(client.subjectVersions('other'))).code).toBe('CONFIG_INVALID');
  });

  it('says a subject without versions accepts anything, without asking the compatibility endpoint', async () => {
    answers['GET /apis/ccompat/v7/subjects/new-value/versions'] = [404, { message: 'No artifact', error_code: 40401 }];
    const result = await new RegistryClient(base).checkCompatibility('new-value', '{}', 'AVRO');
    expect(result.compatible).toBe(true);
    expect(result.reasons[0]).toContain('no versions yet');
    expect(seen.map((s) => s.key)).toEqual(['GET /apis/ccompat/v7/subjects/new-value/versions']);
  });

  it("takes reasons from Apicurio's v3 dry run when the verbose answer has none", async () => {
    answers['GET /apis/ccompat/v7/subjects/orders-value/versions'] = [200, [1]];
    answers['POST /apis/ccompat/v7/compatibility/subjects/orders-value/versions/latest?verbose=true'] = [200, { is_compatible: false }];
    answers['POST /apis/registry/v3/groups/default/artifacts/orders-value/versions?dryRun=true'] = [
      409,
      { causes: [{ description: 'id', context: '/fields/0' }], title: 'Incompatible artifact: orders-value [AVRO]', status: 409, name: 'RuleViolationException' },
    ];
    const result = await new RegistryClient(base).checkCompatibility('orders-value', '{"type":"record"}', 'AVRO');
    expect(result).toEqual({ compatible: false, reasons: ['id at /fields/0'] });
    expect(seen[2]!.body).toEqual({ content: { content: '{"type":"record"}', contentType: 'application/json' } });
  });

  it("uses a Confluent registry's verbose messages and never calls the v3 API", async () => {
    answers['GET /apis/ccompat/v7/subjects/orders-value/versions'] = [200, [1, 2]];
    answers['POST /apis/ccompat/v7/compatibility/subjects/orders-value/versions/latest?verbose=true'] = [
      200,
      { is_compatible: false, messages: ["READER_FIELD_MISSING_DEFAULT_VALUE at /fields/0 'id'"] },
    ];
    const result = await new RegistryClient(base).checkCompatibility('orders-value', '{}', 'AVRO');
    expect(result).toEqual({ compatible: false, reasons: ["READER_FIELD_MISSING_DEFAULT_VALUE at /fields/0 'id'"] });
    expect(seen).toHaveLength(2);
  });

  it('still says incompatible when no reason can be had', async () => {
    answers['GET /apis/ccompat/v7/subjects/orders-value/versions'] = [200, [1]];
    answers['POST /apis/ccompat/v7/compatibility/subjects/orders-value/versions/latest?verbose=true'] = [200, { is_compatible: false }];
    const result = await new RegistryClient(base).checkCompatibility('orders-value', '{}', 'JSON');
    expect(result.compatible).toBe(false);
    expect(result.reasons).toEqual(['the registry answered is_compatible false without reasons']);
  });
});
