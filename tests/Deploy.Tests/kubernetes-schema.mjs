// Validates Kubernetes objects (a JSON array on stdin) with kubernetes-models, whose validators are generated from the
// Kubernetes API's OpenAPI schema: required fields, types, enumerations and formats. Argument: the kubernetes-models
// package folder. Prints one line per object that fails, and exits 1 when any does (an unknown kind fails too).
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const models = process.argv[2];
let input = "";
for await (const chunk of process.stdin) input += chunk;

let failed = 0;
for (const object of JSON.parse(input)) {
  const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : [null, object.apiVersion];
  const file = join(models, ...(group ? [group] : []), version, `${object.kind}.js`);
  try {
    const model = (await import(pathToFileURL(file).href))[object.kind];
    new model(object).validate();
  } catch (error) {
    failed++;
    console.log(`${object.kind} ${object.metadata?.name}: ${error.message}`);
  }
}
process.exit(failed ? 1 : 0);
