/** Prints partitionCapability() as JSON: the capability test runs it as another user. */
import { partitionCapability } from '../partition-capability.ts';

console.log(JSON.stringify(partitionCapability()));
