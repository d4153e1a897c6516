// The two functions of js-yaml (a devDependency without bundled types) the manifest test uses.
declare module "js-yaml" {
  export function load(text: string): unknown;
  export function loadAll(text: string): unknown[];
}
