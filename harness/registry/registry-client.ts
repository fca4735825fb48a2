/**
 * A small client for the Confluent-compatible API (`/apis/ccompat/v7`) of the lab's schema
 * registry. Network errors and 5xx are CLUSTER_UNREACHABLE (retriable); 4xx are CONFIG_INVALID
 * carrying the registry's own message. Ids are what the registry returns: on Apicurio 3 they are
 * content ids, so the same schema text under two subjects has one id.
 */
import { HarnessError } from '../errors.ts';
import type { CompatibilityLevel } from './compatibility.ts';

export type { CompatibilityLevel };

export type SchemaType = 'AVRO' | 'JSON';

export interface CallOptions {
  /** Per call; default 10 s. */
  timeoutMs?: number;
}

export interface CompatibilityResult {
  compatible: boolean;
  reasons: string[];
}

const CCOMPAT = '/apis/ccompat/v7';
const SUBJECT_NOT_FOUND = 40401;

interface Answer {
  status: number;
  body: Record<string, unknown> | unknown[] | undefined;
}

export class RegistryClient {
  /** The registry's root (`http://host:port`); a URL ending in `/apis/ccompat/v7` is accepted too. */
  readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, '').replace(/\/apis\/ccompat\/v7$/, '');
  }

  /** Registers a schema under a subject (idempotent for the same text); resolves with its id. */
  async register(subject: string, schema: string, schemaType: SchemaType, o: CallOptions = {}): Promise<number> {
    const { body } = await this.call('POST', `${CCOMPAT}/subjects/${enc(subject)}/versions`, { schema, schemaType }, o);
    return Number(field(body, 'id'));
  }

  async setCompatibility(subject: string, level: CompatibilityLevel, o: CallOptions = {}): Promise<void> {
    await this.call('PUT', `${CCOMPAT}/config/${enc(subject)}`, { compatibility: level }, o);
  }

  /** The subject's level, or the global one when the subject has none. */
  async compatibility(subject: string, o: CallOptions = {}): Promise<CompatibilityLevel> {
    const { body } = await this.call('GET', `${CCOMPAT}/config/${enc(subject)}?defaultToGlobal=true`, undefined, o);
    // Confluent answers a GET with `compatibilityLevel` and a PUT with `compatibility`; Apicurio uses `compatibilityLevel` for both.
    return (field(body, 'compatibilityLevel') ?? field(body, 'compatibility')) as CompatibilityLevel;
  }

  /** Version numbers of a subject, oldest first; [] for a subject never registered. */
  async subjectVersions(subject: string, o: CallOptions = {}): Promise<number[]> {
    try {
      const { body } = await this.call('GET', `${CCOMPAT}/subjects/${enc(subject)}/versions`, undefined, o);
      return Array.isArray(body) ? body.map(Number) : [];
    } catch (error) {
      if (error instanceof HarnessError && error.context.errorCode === SUBJECT_NOT_FOUND) return [];
      throw error;
    }
  }

  /**
   * Whether `schema` may be registered next under `subject` by the subject's compatibility rule.
   * Apicurio's verbose answer carries no messages, so for an incompatible schema the reasons come
   * from a dry-run registration on its native v3 API, which lists the rule's causes.
   */
  async checkCompatibility(subject: string, schema: string, schemaType: SchemaType, o: CallOptions = {}): Promise<CompatibilityResult> {
    // Apicurio answers is_compatible true for an unknown subject (Confluent: 404), so ask first.
    if ((await this.subjectVersions(subject, o)).length === 0) {
      return { compatible: true, reasons: [`subject '${subject}' has no versions yet: any schema is accepted`] };
    }
    const { body } = await this.call('POST', `${CCOMPAT}/compatibility/subjects/${enc(subject)}/versions/latest?verbose=true`, { schema, schemaType }, o);
    const messages = field(body, 'messages');
    const reasons = Array.isArray(messages) ? messages.map(String) : [];
    if (field(body, 'is_compatible') === true) return { compatible: true, reasons };
    if (reasons.length === 0) reasons.push(...(await this.dryRunCauses(subject, schema, o)));
    return { compatible: false, reasons: reasons.length > 0 ? reasons : ['the registry answered is_compatible false without reasons'] };
  }

  /** The text of the subject's latest version. */
  async latestSchema(subject: string, o: CallOptions = {}): Promise<string> {
    const { body } = await this.call('GET', `${CCOMPAT}/subjects/${enc(subject)}/versions/latest`, undefined, o);
    return String(field(body, 'schema'));
  }

  async schemaById(id: number, o: CallOptions = {}): Promise<{ schema: string; schemaType: SchemaType }> {
    let body: Answer['body'];
    try {
      ({ body } = await this.call('GET', `${CCOMPAT}/schemas/ids/${id}`, undefined, o));
    } catch (error) {
      if (error instanceof HarnessError && error.context.status === 404) {
        throw new HarnessError('CONFIG_INVALID', `schema registry: unknown schema id ${id}`, { context: error.context, cause: error });
      }
      throw error;
    }
    // Confluent leaves schemaType out for Avro.
    const schemaType = String(field(body, 'schemaType') ?? 'AVRO');
    if (schemaType !== 'AVRO' && schemaType !== 'JSON') {
      throw new HarnessError('CONFIG_INVALID', `schema registry: schema id ${id} is ${schemaType}; only AVRO and JSON are supported`);
    }
    return { schema: String(field(body, 'schema')), schemaType };
  }

  /** The causes of a rule violation, from Apicurio's v3 API (`dryRun` stores nothing); [] if unavailable. */
  private async dryRunCauses(subject: string, schema: string, o: CallOptions): Promise<string[]> {
    const path = `/apis/registry/v3/groups/default/artifacts/${enc(subject)}/versions?dryRun=true`;
    try {
      await this.call('POST', path, { content: { content: schema, contentType: 'application/json' } }, o);
      return [];
    } catch (error) {
      if (!(error instanceof HarnessError) || error.context.status !== 409) return [];
      const body = error.context.body;
      const causes = field(body, 'causes');
      if (Array.isArray(causes) && causes.length > 0) {
        return causes.map((c) => [field(c, 'description'), field(c, 'context')].filter((s) => s !== undefined && s !== '').join(' at '));
      }
      return [String(field(body, 'title') ?? error.message)];
    }
  }

  private async call(method: string, path: string, payload: unknown, o: CallOptions): Promise<Answer> {
    const timeoutMs = o.timeoutMs ?? 10_000;
    const what = `${method} ${path.replace(/\?.*$/, '')}`;
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { accept: 'application/vnd.schemaregistry.v1+json, application/json', ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
        body: payload === undefined ? undefined : JSON.stringify(payload),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      const why = timedOut ? `no answer within ${timeoutMs} ms` : networkReason(error);
      throw new HarnessError('CLUSTER_UNREACHABLE', `schema registry at ${this.baseUrl}: ${what}: ${why}`, { retriable: true, cause: error, context: { url: this.baseUrl } });
    }
    const text = await response.text();
    let body: Answer['body'];
    try {
      body = text ? (JSON.parse(text) as Answer['body']) : undefined;
    } catch {
      body = undefined;
    }
    if (response.ok) return { status: response.status, body };
    const message = registryMessage(body) ?? (text.trim().slice(0, 200) || response.statusText);
    const context = { status: response.status, errorCode: field(body, 'error_code'), body };
    if (response.status >= 500) {
      throw new HarnessError('CLUSTER_UNREACHABLE', `schema registry at ${this.baseUrl}: ${what}: ${response.status} ${message}`, { retriable: true, context });
    }
    throw new HarnessError('CONFIG_INVALID', `schema registry: ${what}: ${response.status} ${message}`, { context });
  }
}

function enc(subject: string): string {
  return encodeURIComponent(subject);
}

function field(body: unknown, name: string): unknown {
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>)[name] : undefined;
}

/** ccompat puts it in `message`, the v3 API in `title`; a leading Java exception class is noise. */
function registryMessage(body: unknown): string | undefined {
  const message = field(body, 'message') ?? field(body, 'title');
  return typeof message === 'string' ? message.replace(/^(?:[\w$]+\.)+[\w$]*(?:Exception|Error): /, '') : undefined;
}

/** fetch reports "fetch failed" and hides the reason (ECONNREFUSED...) in its cause. */
function networkReason(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
