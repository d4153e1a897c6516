// The import direction of docs/architecture.md's layers, as an ESLint rule: data flows one way,
// so a file imports only from its own layer or the layers below it. One vendor's folder imports no
// other vendor's: what two vendors share moves to src/families/. Relative imports only (packages
// are no layer).
"use strict";
const path = require("path");

/**
 * Each layer of src/ by its rank: a file may import a rank at or below its own. process/ and
 * boot.ts stand at the top (they start everything); console/ sits beside server/.
 */
const RANKS = {
  "boot": 8, "process": 8,
  "server": 7, "console": 7,
  "integrations": 6,
  "families": 5,
  "data": 4,
  "hub": 3,
  "lib": 2,
  "config": 1,
};
const ORDER = "server -> integrations -> families -> data -> hub -> lib -> config " +
  "(process/ and boot.ts on top, console/ beside server/)";

/** The layer of a file under src/ ("integrations", "lib"...), with its path inside src/; null outside src/. */
function placeOf(file, srcRoot) {
  const rel = path.relative(srcRoot, file);
  if (rel.startsWith("..") || path.isAbsolute(rel)) { return null; }
  const parts = rel.split(path.sep);
  // A file at the top of src/ (boot.ts) is a layer of its own, named without its extension.
  return { layer: parts[0].replace(/\.ts$/, ""), parts };
}

/** The vendor folder of a file under src/integrations/ (undefined for index.ts itself). */
function vendorOf(place) {
  return place.layer === "integrations" && place.parts.length > 2 ? place.parts[1] : undefined;
}

module.exports = {
  meta: {
    type: "problem",
    docs: { description: "Imports follow the layers of docs/architecture.md, and no vendor imports another" },
    schema: [{ type: "object", properties: { srcRoot: { type: "string" } }, additionalProperties: false }],
    messages: {
      upward: "src/{{from}}/ may not import from src/{{to}}/: layers import only downwards ({{order}}). " +
        "Move what both need down to the lower layer.",
      vendor: "integrations/{{from}}/ may not import from integrations/{{to}}/: move what both vendors share " +
        "into src/families/.",
      unknown: "src/{{layer}} is no layer of docs/architecture.md; add it to lint/layer_imports.js's RANKS.",
    },
  },
  create(context) {
    const option = context.options[0] || {};
    const srcRoot = path.resolve(context.cwd, option.srcRoot || "src");
    const file = context.filename;
    const from = placeOf(file, srcRoot);
    if (!from) { return {}; }

    function check(node, source) {
      if (typeof source !== "string" || !source.startsWith(".")) { return; }
      const target = path.resolve(path.dirname(file), source);
      const to = placeOf(target, srcRoot);
      if (!to) { return; }
      for (const layer of [from.layer, to.layer]) {
        if (RANKS[layer] === undefined) {
          context.report({ node, messageId: "unknown", data: { layer } });
          return;
        }
      }
      if (RANKS[to.layer] > RANKS[from.layer]) {
        context.report({ node, messageId: "upward", data: { from: from.layer, to: to.layer, order: ORDER } });
        return;
      }
      const fromVendor = vendorOf(from);
      const toVendor = vendorOf(to);
      if (fromVendor && toVendor && fromVendor !== toVendor) {
        context.report({ node, messageId: "vendor", data: { from: fromVendor, to: toVendor } });
      }
    }

    return {
      ImportDeclaration(node) { check(node.source, node.source.value); },
      ExportNamedDeclaration(node) { if (node.source) { check(node.source, node.source.value); } },
      ExportAllDeclaration(node) { check(node.source, node.source.value); },
      TSImportEqualsDeclaration(node) {
        const ref = node.moduleReference;
        if (ref && ref.type === "TSExternalModuleReference") { check(ref.expression, ref.expression.value); }
      },
      ImportExpression(node) { if (node.source.type === "Literal") { check(node.source, node.source.value); } },
      CallExpression(node) {
        if (node.callee.type === "Identifier" && node.callee.name === "require" && node.arguments[0]?.type === "Literal") {
          check(node.arguments[0], node.arguments[0].value);
        }
      },
    };
  },
};
