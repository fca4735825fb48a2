import { loadScenarios } from '../scenarios/index.ts';
import { workloadSchemas } from '../harness/registry/workload-schemas.ts';
const [s] = await loadScenarios('scenarios/schema/avro-evolution.ts');
const [v1, v2] = workloadSchemas({ ...s!.workload, encoding: s!.workload.encoding! });
console.log(JSON.stringify(JSON.parse(v1!.schema), null, 2));
console.error(JSON.stringify(JSON.parse(v2!.schema)).slice(-200));
